import type { HttpFunctionOptions, TimerFunctionOptions } from '@azure/functions';
import type { FunctionRegistrar } from '../../functions/function-registrar.js';

export interface HttpRegistration {
  readonly name: string;
  readonly options: HttpFunctionOptions;
}

export interface TimerRegistration {
  readonly name: string;
  readonly options: TimerFunctionOptions;
}

/**
 * Stands in for `app` from `@azure/functions` when the gateway runs on the local host: the
 * composition root registers onto it exactly as it does in Azure, so the local host never keeps a
 * route list of its own.
 */
export class CollectingRegistrar implements FunctionRegistrar {
  readonly #http: HttpRegistration[] = [];
  readonly #timers: TimerRegistration[] = [];

  http(name: string, options: HttpFunctionOptions): void {
    this.#ensureUnique(name);
    this.#http.push({ name, options });
  }

  timer(name: string, options: TimerFunctionOptions): void {
    this.#ensureUnique(name);
    this.#timers.push({ name, options });
  }

  get httpRegistrations(): readonly HttpRegistration[] {
    return this.#http;
  }

  get timerRegistrations(): readonly TimerRegistration[] {
    return this.#timers;
  }

  // The Functions host refuses to start with two functions of the same name (names are
  // case-insensitive there), so a duplicate must fail here too rather than shadow silently.
  #ensureUnique(name: string): void {
    const taken = [...this.#http, ...this.#timers].some(
      (registration) => registration.name.toLowerCase() === name.toLowerCase(),
    );
    if (taken) {
      throw new Error(`A function named '${name}' is already registered.`);
    }
  }
}
