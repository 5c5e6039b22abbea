import type { HttpFunctionOptions, HttpMethod } from '@azure/functions';
import type { HttpRegistration } from './collecting-registrar.js';
import {
  compareRoutePrecedence,
  compileRouteTemplate,
  decodeSegment,
  type RouteParams,
  type RouteTemplate,
} from './route-template.js';

export interface HttpRoute {
  readonly name: string;
  readonly options: HttpFunctionOptions;
  /** Upper case. */
  readonly methods: readonly string[];
  readonly template: RouteTemplate;
}

export interface RouteMatch {
  readonly route: HttpRoute;
  readonly params: RouteParams;
}

// What `app.http` in @azure/functions fills in when a registration names no methods.
const defaultMethods: readonly HttpMethod[] = ['GET', 'POST'];

/** Every HTTP registration's route under the prefix, tried in the host's precedence order. */
export class HttpRouteTable {
  readonly #routes: readonly HttpRoute[];
  readonly #prefix: readonly string[];

  constructor(registrations: readonly HttpRegistration[], routePrefix: string) {
    this.#prefix = routePrefix
      .split('/')
      .filter((segment) => segment !== '')
      .map((segment) => segment.toLowerCase());
    this.#routes = registrations
      .map(({ name, options }) => {
        // An explicit trigger wins over the shorthand options, as in `app.http`.
        const trigger = options.trigger ?? options;
        return {
          name,
          options,
          methods: (trigger.methods ?? defaultMethods).map((method) => method.toUpperCase()),
          template: compileRouteTemplate(trigger.route ?? name),
        };
      })
      .sort((a, b) => compareRoutePrecedence(a.template, b.template));
  }

  get routes(): readonly HttpRoute[] {
    return this.#routes;
  }

  /** `pathname` is the request's path as sent: percent-encoded, without the query. */
  match(method: string, pathname: string): RouteMatch | undefined {
    const path = this.#stripPrefix(pathname);
    if (path === undefined) return undefined;
    const upperMethod = method.toUpperCase();
    for (const route of this.#routes) {
      if (!route.methods.includes(upperMethod)) continue;
      const params = route.template.match(path);
      if (params !== undefined) return { route, params };
    }
    return undefined;
  }

  /** The path a route is served at, for the start-up listing. */
  displayPath(route: HttpRoute): string {
    return `/${[...this.#prefix, route.template.template.replace(/^\/+/, '')].join('/')}`;
  }

  #stripPrefix(pathname: string): string | undefined {
    const segments = pathname.replace(/^\/+/, '').split('/');
    const matches = this.#prefix.every(
      (expected, index) => decodeSegment(segments[index] ?? '').toLowerCase() === expected,
    );
    return matches ? segments.slice(this.#prefix.length).join('/') : undefined;
  }
}
