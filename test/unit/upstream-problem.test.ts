import { describe, expect, it } from 'vitest';
import type { UpstreamFailure } from '../../shared/domain/upstream.js';
import { upstreamProblem } from '../../shared/http/upstream-problem.js';
import type { Logger, LogProperties } from '../../shared/logging/logger.js';

/** Records each line with its level. */
function levelLogger(): Logger & { lines: [string, string][] } {
  const lines: [string, string][] = [];
  const at =
    (level: string) =>
    (message: string, properties?: LogProperties): void => {
      lines.push([level, `${message} ${JSON.stringify(properties ?? {})}`]);
    };
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}

const rejected = (
  status: number,
  more: Partial<Extract<UpstreamFailure, { kind: 'rejected' }>> = {},
): UpstreamFailure => ({ kind: 'rejected', status, ...more });

describe('upstreamProblem', () => {
  it.each([
    ['403/20002 with any identity', rejected(403, { code: 20002, identity: 'app-only' }), 403],
    [
      'a GDAP refusal worded so',
      rejected(403, { description: 'No GDAP relationship grants this role.' }),
      403,
    ],
    [
      '401/900421 of the caller (On-Behalf-Of)',
      rejected(401, { code: '900421', identity: 'on-behalf-of' }),
      401,
    ],
    ["403 of the caller's user", rejected(403, { code: 403, identity: 'on-behalf-of' }), 403],
  ])('%s is the caller’s answer, logged as a warning', (_name, failure, status) => {
    const logger = levelLogger();
    const problem = upstreamProblem(failure, logger);
    expect(problem.status).toBe(status);
    expect(problem.upstream).toBeDefined();
    expect(logger.lines.map(([level]) => level)).toEqual(['warn']);
  });

  it.each([
    [
      '401/900421 of the gateway’s own App+User',
      rejected(401, { code: 900421, identity: 'app+user' }),
    ],
    ['403 of the app-only identity', rejected(403, { code: 403, identity: 'app-only' })],
    ['401 of any identity', rejected(401, { identity: 'on-behalf-of' })],
  ])('%s is a 502 and an error: the gateway’s credentials', (_name, failure) => {
    const logger = levelLogger();
    const problem = upstreamProblem(failure, logger);
    expect(problem).toMatchObject({ status: 502, type: 'upstream-authorization-failed' });
    expect(problem.upstream).toBeUndefined();
    expect(logger.lines.map(([level]) => level)).toEqual(['error']);
  });

  it.each([
    ['unreachable', 503, 'credential-unavailable', '7'],
    ['refused', 502, 'credential-unavailable', undefined],
    ['not-configured', 502, 'credential-unavailable', undefined],
    ['caller-refused', 403, 'on-behalf-of-refused', undefined],
  ] as const)('a credential %s → %i %s', (cause, status, type, retryAfter) => {
    const problem = upstreamProblem(
      { kind: 'credential-unavailable', identity: 'app+user', cause, retryAfterSeconds: 7 },
      levelLogger(),
    );
    expect(problem).toMatchObject({ status, type });
    expect(problem.headers?.['retry-after']).toBe(retryAfter);
  });
});
