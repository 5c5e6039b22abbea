import { describe, expect, it } from 'vitest';
import { describeError, redactText, redactValue } from '../../shared/logging/redact.js';

const JWT =
  'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwiYXVkIjoiYXBpIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';

describe('redactText', () => {
  it.each([
    [`Authorization: Bearer ${JWT}`, JWT],
    ['Bearer opaque-token-value', 'opaque-token-value'],
    [`token ${JWT} in text`, JWT],
    [
      'DefaultEndpointsProtocol=https;AccountName=acc;AccountKey=c2VjcmV0a2V5PT0=;EndpointSuffix=x',
      'c2VjcmV0a2V5PT0=',
    ],
    ['https://host/api/v1/x?code=functionKeyValue123&y=1', 'functionKeyValue123'],
    ['grant_type=refresh_token&refresh_token=0.AAAArefresh&client_id=x', '0.AAAArefresh'],
    ['{"refresh_token":"0.AXYZ-refresh","x":1}', '0.AXYZ-refresh'],
    ['client_secret=s3cr3t-value', 's3cr3t-value'],
    ['x-functions-key: abcdef123456', 'abcdef123456'],
  ])('masks the secret in %s', (text, secret) => {
    expect(redactText(text)).not.toContain(secret);
  });

  it('leaves ordinary text alone', () => {
    const text = 'GET /v1/customers/6f1e8d2c-6b5a-4c1e-9a32-1f0e7d6c5b4a/qualifications 200';
    expect(redactText(text)).toBe(text);
  });
});

describe('redactValue', () => {
  it('blanks secret-named fields at any depth and keeps the rest', () => {
    const value = {
      customerId: 'c',
      headers: { authorization: 'Bearer x', 'x-correlation-id': 'id' },
      nested: [{ clientSecret: 'a', refreshToken: 'b', connectionString: 'c', partitionKey: 'p' }],
    };
    expect(redactValue(value)).toEqual({
      customerId: 'c',
      headers: { authorization: '[REDACTED]', 'x-correlation-id': 'id' },
      nested: [
        {
          clientSecret: '[REDACTED]',
          refreshToken: '[REDACTED]',
          connectionString: '[REDACTED]',
          partitionKey: 'p',
        },
      ],
    });
  });

  it("keeps an ApiFault's or OAuth error code readable, and blanks a key named code", () => {
    const functionKey = 'aGVsbG8tdGhpcy1pcy1hLWZ1bmN0aW9uLWtleS12YWx1ZS0xMjM0NTY3OA==';
    expect(
      redactValue({
        upstream: { status: 403, code: 20002, description: 'no commerce relationship' },
        oauth: { code: 'invalid_grant' },
        query: { code: functionKey },
      }),
    ).toEqual({
      upstream: { status: 403, code: 20002, description: 'no commerce relationship' },
      oauth: { code: 'invalid_grant' },
      query: { code: '[REDACTED]' },
    });
  });

  it('describes errors with their causes and without secrets', () => {
    const error = new Error('outer', { cause: new Error(`inner Bearer ${JWT}`) });
    const text = redactValue(error) as string;
    expect(text).toContain('outer');
    expect(text).toContain('inner');
    expect(text).not.toContain(JWT);
    expect(describeError(error)).toBe(`Error: outer <- Error: inner Bearer ${JWT}`);
  });
});
