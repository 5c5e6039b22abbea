/**
 * Route templates as the Functions host reads an HTTP trigger's `route` (ASP.NET Core routing):
 * case-insensitive literal segments, `{name}`, `{name?}`, `{name:guid}`, `{name:int}`,
 * `{name:alpha}` (constraints may be chained) and a final `{*rest}`. Anything else is refused when
 * the template is compiled, so an unsupported route fails at start-up instead of never matching.
 */

export type RouteParams = Record<string, string>;

export interface RouteTemplate {
  readonly template: string;
  readonly literalSegments: number;
  readonly constrainedParameters: number;
  readonly hasCatchAll: boolean;
  /** `path` is relative to the route prefix, still percent-encoded and without the query. */
  match(path: string): RouteParams | undefined;
}

type Constraint = (value: string) => boolean;

const guidD = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
// .NET's Guid.TryParse, which the guid constraint uses, accepts the N, D, B and P formats.
const guidFormats = new RegExp(`^(?:[0-9a-f]{32}|${guidD}|\\{${guidD}\\}|\\(${guidD}\\))$`, 'i');

const constraints: Readonly<Record<string, Constraint>> = {
  int: (value) => {
    if (!/^[+-]?\d+$/.test(value)) return false;
    const number = Number(value);
    return number >= -(2 ** 31) && number <= 2 ** 31 - 1;
  },
  alpha: (value) => /^[a-z]+$/i.test(value),
  guid: (value) => guidFormats.test(value),
};

type Segment =
  | { readonly kind: 'literal'; readonly text: string }
  | {
      readonly kind: 'parameter';
      readonly name: string;
      readonly optional: boolean;
      readonly catchAll: boolean;
      readonly constraints: readonly Constraint[];
    };

const parameterPattern = /^\{(\*?)([A-Za-z_][A-Za-z0-9_]*)((?::[A-Za-z]+)*)(\??)\}$/;

export function compileRouteTemplate(template: string): RouteTemplate {
  const segments = splitPath(template).map((text) => parseSegment(text, template));
  validateShape(segments, template);
  const parameters = segments.filter((segment) => segment.kind === 'parameter');
  return {
    template,
    literalSegments: segments.length - parameters.length,
    constrainedParameters: parameters.filter((segment) => segment.constraints.length > 0).length,
    hasCatchAll: parameters.some((segment) => segment.catchAll),
    match: (path) => matchSegments(segments, splitPath(path)),
  };
}

/**
 * When several routes match, the host prefers the more specific one: more literal segments, then
 * more constrained parameters, then no catch-all. Ties keep registration order because
 * Array.prototype.sort is stable.
 */
export function compareRoutePrecedence(a: RouteTemplate, b: RouteTemplate): number {
  return (
    b.literalSegments - a.literalSegments ||
    b.constrainedParameters - a.constrainedParameters ||
    Number(a.hasCatchAll) - Number(b.hasCatchAll)
  );
}

// ASP.NET routing ignores a leading and a trailing slash.
function splitPath(path: string): string[] {
  const trimmed = path.replace(/^\/+/, '').replace(/\/$/, '');
  return trimmed === '' ? [] : trimmed.split('/');
}

function parseSegment(text: string, template: string): Segment {
  if (!text.includes('{') && !text.includes('}')) {
    if (text === '') throw new Error(`Route '${template}' has an empty segment.`);
    return { kind: 'literal', text: text.toLowerCase() };
  }
  const parsed = parameterPattern.exec(text);
  if (parsed === null) {
    throw new Error(
      `Route '${template}': segment '${text}' is not supported by the local host ` +
        '(use a literal, {name}, {name?}, {name:constraint} or {*rest}).',
    );
  }
  const [, star = '', name = '', constraintText = '', question = ''] = parsed;
  const names = constraintText.split(':').filter((part) => part !== '');
  return {
    kind: 'parameter',
    name,
    optional: question === '?',
    catchAll: star === '*',
    constraints: names.map((constraintName) => {
      const constraint = constraints[constraintName.toLowerCase()];
      if (constraint === undefined) {
        throw new Error(
          `Route '${template}': constraint '${constraintName}' is not supported by the local host ` +
            `(supported: ${Object.keys(constraints).join(', ')}).`,
        );
      }
      return constraint;
    }),
  };
}

function validateShape(segments: readonly Segment[], template: string): void {
  const seen = new Set<string>();
  segments.forEach((segment, index) => {
    if (segment.kind === 'literal') return;
    const key = segment.name.toLowerCase();
    if (seen.has(key)) throw new Error(`Route '${template}' uses '${segment.name}' twice.`);
    seen.add(key);
    const isLast = index === segments.length - 1;
    if (segment.catchAll && !isLast) {
      throw new Error(`Route '${template}': a catch-all parameter must be the last segment.`);
    }
    const followedByRequired = segments
      .slice(index + 1)
      .some((later) => later.kind === 'literal' || !(later.optional || later.catchAll));
    if (segment.optional && followedByRequired) {
      throw new Error(
        `Route '${template}': an optional parameter must not precede a required one.`,
      );
    }
  });
}

function matchSegments(
  segments: readonly Segment[],
  pathSegments: readonly string[],
): RouteParams | undefined {
  const params: RouteParams = {};
  for (const [index, segment] of segments.entries()) {
    const raw = pathSegments[index];
    if (segment.kind === 'literal') {
      if (raw === undefined || decodeSegment(raw).toLowerCase() !== segment.text) return undefined;
      continue;
    }
    if (segment.catchAll) {
      const rest = pathSegments.slice(index).map(decodeSegment).join('/');
      if (rest === '') return params;
      return satisfies(segment.constraints, rest) ? { ...params, [segment.name]: rest } : undefined;
    }
    if (raw === undefined) {
      if (segment.optional) continue;
      return undefined;
    }
    const value = decodeSegment(raw);
    if (value === '' || !satisfies(segment.constraints, value)) return undefined;
    params[segment.name] = value;
  }
  return pathSegments.length > segments.length ? undefined : params;
}

function satisfies(checks: readonly Constraint[], value: string): boolean {
  return checks.every((check) => check(value));
}

/**
 * Percent-decodes one path segment. A malformed escape is kept as sent rather than failing the
 * whole request.
 */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
