import type { Clock } from './ports.js';

/** The real time; tests inject a Clock of their own wherever time matters. */
export const systemClock: Clock = { now: () => new Date() };
