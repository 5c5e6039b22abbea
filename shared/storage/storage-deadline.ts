import { RestError, type TableServiceClientOptions } from '@azure/data-tables';
import type { StoragePipelineOptions } from '@azure/storage-queue';
import { StorageUnavailableError } from '../domain/storage-unavailable.js';
import { isOutage } from './table-errors.js';

/**
 * How long one storage request may take before it is abandoned and retried. Without it a storage
 * endpoint that accepts connections and never answers holds every request (and start-up) until
 * the platform's own limits; with it such a call fails in about 12 s (three tries and their
 * back-off) and the caller gets 503.
 */
export const STORAGE_ATTEMPT_TIMEOUT_MS = 3_000;
const STORAGE_RETRIES = 2;

type AdditionalPolicyConfig = NonNullable<TableServiceClientOptions['additionalPolicies']>[number];

/** Gives every attempt a deadline; a deadline passed is a timeout the SDK retries, then reports. */
const attemptDeadline: AdditionalPolicyConfig = {
  position: 'perRetry',
  policy: {
    name: 'storageAttemptDeadline',
    async sendRequest(request, next) {
      request.timeout = STORAGE_ATTEMPT_TIMEOUT_MS;
      try {
        return await next(request);
      } catch (error) {
        // The caller's own abort stays an abort; only this deadline becomes a timeout.
        if (
          error instanceof Error &&
          error.name === 'AbortError' &&
          !request.abortSignal?.aborted
        ) {
          throw new RestError(
            `Storage did not answer within ${String(STORAGE_ATTEMPT_TIMEOUT_MS)} ms`,
            { code: 'ETIMEDOUT', request },
          );
        }
        throw error;
      }
    },
  },
};

/**
 * Once the SDK has retried, an outage leaves the storage adapters as a StorageUnavailableError
 * (its cause the SDK's error), so that layers above tell an outage without knowing the SDK.
 */
const outageAsStorageUnavailable: AdditionalPolicyConfig = {
  position: 'perCall',
  policy: {
    name: 'outageAsStorageUnavailable',
    async sendRequest(request, next) {
      try {
        return await next(request);
      } catch (error) {
        if (!isOutage(error)) throw error;
        throw new StorageUnavailableError(
          `Table Storage unavailable (${request.method} ${new URL(request.url).pathname})`,
          { cause: error },
        );
      }
    },
  },
};

export const tableClientOptions: TableServiceClientOptions = {
  retryOptions: { maxRetries: STORAGE_RETRIES },
  additionalPolicies: [outageAsStorageUnavailable, attemptDeadline],
};

export const queueClientOptions: StoragePipelineOptions = {
  retryOptions: { maxTries: STORAGE_RETRIES + 1, tryTimeoutInMs: STORAGE_ATTEMPT_TIMEOUT_MS },
};
