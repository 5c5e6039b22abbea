export { startSimulator, type RunningSimulator, type SimulatorOptions } from './server.js';
export { SEEDED_CUSTOMERS, SEEDED_PARTNER_ID, SEEDED_VALIDATION_CODES } from './seed.js';
export { simulatorToken } from './token-kind.js';
export type { Qualification, TokenKind, ValidationCode } from './types.js';
export type { LoggedRequest } from './request-log.js';
