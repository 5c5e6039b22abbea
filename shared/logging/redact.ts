/**
 * The one redaction point: everything the gateway logs passes through here. Secrets are
 * recognised by the name they are stored under and by their shape in free text.
 */
const SECRET_KEY =
  /authorization|token|secret|password|passwd|credential|cookie|signature|connectionstring|^sig$|^key$|(api|account|access|function|functions|private|shared|master|client)[-_]?key$/i;

/**
 * `code` names a function key (`?code=`) or an OAuth authorization code, both long, but also the
 * error code of a Partner Center ApiFault or an OAuth error, which must stay readable.
 */
const CODE_KEY = /^code$/i;
const ERROR_CODE = /^[A-Za-z0-9_.:-]{1,32}$/;

const SECRET_PATTERNS: readonly [RegExp, string][] = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [REDACTED]'],
  [/\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, '[REDACTED-JWT]'],
  [
    /\b(AccountKey|SharedAccessKey|SharedAccessSignature|Password|ClientSecret)=[^;\s"']+/gi,
    '$1=[REDACTED]',
  ],
  [
    /([?&](?:code|sig|token|access_token|refresh_token|client_secret|client_assertion|assertion)=)[^&\s"']+/gi,
    '$1[REDACTED]',
  ],
  [
    /("?(?:refresh_token|access_token|client_secret|id_token|client_assertion)"?\s*[:=]\s*"?)[^"&\s,}]+/gi,
    '$1[REDACTED]',
  ],
  [/(x-functions-key["']?\s*[:=]\s*["']?)[^"'\s,}]+/gi, '$1[REDACTED]'],
];

const REDACTED = '[REDACTED]';
const MAX_DEPTH = 8;

export function redactText(text: string): string {
  let result = text;
  for (const [pattern, replacement] of SECRET_PATTERNS)
    result = result.replace(pattern, replacement);
  return result;
}

/** A copy of `value` safe to log: secret-named fields blanked, secret-shaped text masked. */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[…]';
  if (value instanceof Error) return redactText(describeError(value));
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    result[key] = isSecretField(key, item) ? REDACTED : redactValue(item, depth + 1);
  }
  return result;
}

function isSecretField(key: string, value: unknown): boolean {
  if (value === undefined) return false;
  if (CODE_KEY.test(key)) {
    return !(typeof value === 'number' || (typeof value === 'string' && ERROR_CODE.test(value)));
  }
  return SECRET_KEY.test(key);
}

/** An error and its causes on one line, without stack frames. */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    if (current instanceof Error) {
      parts.push(`${current.name}: ${current.message}`);
      current = current.cause;
    } else {
      parts.push(typeof current === 'string' ? current : JSON.stringify(current));
      break;
    }
  }
  return parts.join(' <- ');
}
