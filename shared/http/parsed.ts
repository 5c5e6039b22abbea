import type { Problem } from './problem.js';

/** A request part read or parsed: its value, or the problem that answers the request instead. */
export type Parsed<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: Problem };
