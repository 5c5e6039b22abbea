import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { isMainThread } from 'node:worker_threads';

/**
 * Test TLS for loopback servers that real Azure SDK code must trust (`authorityHost` has to be
 * https). Node reads `NODE_EXTRA_CA_CERTS` once, when a process starts, so the certificate is made
 * in vitest's globalSetup (the main process) before any worker is forked: the `forks` pool copies
 * the main process's environment into each worker it starts. A `threads` pool would not work.
 */
const CERT_ENV = 'PQG_TEST_TLS_CERT';
const KEY_ENV = 'PQG_TEST_TLS_KEY';

const run = promisify(execFile);

export interface TestCertificatePaths {
  /** PEM certificate for 127.0.0.1 and localhost (subjectAltName), self-signed. */
  readonly certPath: string;
  readonly keyPath: string;
  /** Removes the files; the globalSetup teardown calls it. */
  cleanup(): Promise<void>;
}

export interface TestTls {
  readonly cert: string;
  readonly key: string;
}

/**
 * For globalSetup only: writes a fresh certificate and points `NODE_EXTRA_CA_CERTS` at a bundle
 * of it (plus any bundle already configured), so that every worker forked afterwards trusts it.
 */
export async function prepareTestCertificate(): Promise<TestCertificatePaths> {
  const dir = await mkdtemp(join(tmpdir(), 'pqg-test-tls-'));
  const certPath = join(dir, 'localhost.pem');
  const keyPath = join(dir, 'localhost.key');
  const configPath = join(dir, 'openssl.cnf');
  await writeFile(
    configPath,
    [
      '[req]',
      'distinguished_name = dn',
      'x509_extensions = v3',
      'prompt = no',
      '[dn]',
      'CN = localhost',
      '[v3]',
      // Node checks the host against subjectAltName only; the CN is ignored.
      'subjectAltName = IP:127.0.0.1, DNS:localhost',
      // Its own issuer: a trust anchor that is also the server's leaf.
      'basicConstraints = critical, CA:TRUE',
      'keyUsage = critical, digitalSignature, keyCertSign',
      'extendedKeyUsage = serverAuth',
      'subjectKeyIdentifier = hash',
      '',
    ].join('\n'),
  );
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-days',
    '2',
    '-config',
    configPath,
    '-keyout',
    keyPath,
    '-out',
    certPath,
  ]);

  const bundlePath = join(dir, 'extra-ca-bundle.pem');
  const inherited = process.env.NODE_EXTRA_CA_CERTS;
  const inheritedPem =
    inherited !== undefined && inherited !== '' && existsSync(inherited)
      ? await readFile(inherited, 'utf8')
      : '';
  await writeFile(bundlePath, `${inheritedPem.trimEnd()}\n${await readFile(certPath, 'utf8')}`);

  process.env.NODE_EXTRA_CA_CERTS = bundlePath;
  process.env[CERT_ENV] = certPath;
  process.env[KEY_ENV] = keyPath;
  return {
    certPath,
    keyPath,
    cleanup: async () => {
      if (inherited === undefined) delete process.env.NODE_EXTRA_CA_CERTS;
      else process.env.NODE_EXTRA_CA_CERTS = inherited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * For test files: the certificate globalSetup made, refused unless this process trusts it (that
 * is, it was started with `NODE_EXTRA_CA_CERTS` already pointing at it).
 */
export async function loadTestTls(): Promise<TestTls> {
  if (!isMainThread) {
    throw new Error(
      "Test TLS needs vitest's forks pool: NODE_EXTRA_CA_CERTS is read when a process starts, " +
        'and a worker thread shares the main process.',
    );
  }
  const certPath = process.env[CERT_ENV];
  const keyPath = process.env[KEY_ENV];
  const bundle = process.env.NODE_EXTRA_CA_CERTS;
  if (certPath === undefined || keyPath === undefined || bundle === undefined) {
    throw new Error(
      'No test TLS certificate: call prepareTestCertificate() from test/global-setup.ts ' +
        '(see test/support/test-certificate.ts) and run the suite with the forks pool.',
    );
  }
  const [cert, key, trusted] = await Promise.all([
    readFile(certPath, 'utf8'),
    readFile(keyPath, 'utf8'),
    readFile(bundle, 'utf8'),
  ]);
  if (!trusted.includes(cert.trim())) {
    throw new Error(`NODE_EXTRA_CA_CERTS (${bundle}) does not contain the test certificate`);
  }
  return { cert, key };
}

export interface ClientCertificate {
  readonly certificatePem: string;
  /** PKCS#8 PEM (`BEGIN PRIVATE KEY`), as msal-node wants it. */
  readonly privateKeyPem: string;
  /** Hex SHA-256 thumbprint of the certificate, as Entra ID and msal-node name it. */
  readonly thumbprintSha256: string;
}

/** An RSA certificate an app registration could hold, for client-assertion authentication. */
export async function createClientCertificate(
  subject = 'pqg-test-client',
): Promise<ClientCertificate> {
  const dir = await mkdtemp(join(tmpdir(), 'pqg-client-cert-'));
  try {
    const certPath = join(dir, 'client.pem');
    const keyPath = join(dir, 'client.key');
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      `/CN=${subject}`,
      '-keyout',
      keyPath,
      '-out',
      certPath,
    ]);
    const [certificatePem, privateKeyPem] = await Promise.all([
      readFile(certPath, 'utf8'),
      readFile(keyPath, 'utf8'),
    ]);
    const thumbprintSha256 = new X509Certificate(certificatePem).fingerprint256
      .replaceAll(':', '')
      .toLowerCase();
    return { certificatePem, privateKeyPem, thumbprintSha256 };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
