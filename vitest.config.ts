import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One in-memory Azurite for the whole run; each test gateway uses tables of its own.
    globalSetup: ['test/global-setup.ts'],
    // After each test: every response the test gateways gave matches the OpenAPI document.
    setupFiles: ['test/support/conformance-setup.ts'],
    // Forked workers inherit NODE_EXTRA_CA_CERTS set by the global setup; threads would not.
    pool: 'forks',
    // Integration suites start real servers (Azurite, the simulator, the local host) on loopback.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', 'json'],
    // .ci/run reads this report for its final "N passed, N failed" line.
    outputFile: { json: '.data/test-report.json' },
  },
});
