import type { HttpFunctionOptions, TimerFunctionOptions } from '@azure/functions';

/**
 * The part of `@azure/functions`' `app` that the gateway registers its functions with.
 * In Azure (and under `func start`) it is `app` itself; the local host in `dev/` passes its own
 * implementation, so both serve the very same registrations.
 */
export interface FunctionRegistrar {
  http(name: string, options: HttpFunctionOptions): void;
  timer(name: string, options: TimerFunctionOptions): void;
}
