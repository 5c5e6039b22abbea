/**
 * Runs before every test file (vitest `setupFiles`): `fetch` checks the responses of the test
 * gateways against the OpenAPI document, and after each test any response that deviated fails
 * that test.
 */
import { afterEach } from 'vitest';
import { activeRecords, assertConforming } from './conformance.js';
import { installValidatingFetch } from './validating-fetch.js';

installValidatingFetch();

afterEach(() => {
  assertConforming([...activeRecords].flatMap((record) => record.takeDeviations()));
});
