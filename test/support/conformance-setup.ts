/**
 * Runs before every test file (vitest `setupFiles`): after each test, any response a test gateway
 * gave during it that deviates from the OpenAPI document fails that test.
 */
import { afterEach } from 'vitest';
import { assertConforming, runningProxies } from './validating-proxy.js';

afterEach(() => {
  assertConforming([...runningProxies].flatMap((proxy) => proxy.takeDeviations()));
});
