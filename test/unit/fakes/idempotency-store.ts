import { randomUUID } from 'node:crypto';
import type {
  IdempotencyClaim,
  IdempotencyStore,
  StoredResponse,
} from '../../../shared/domain/idempotency.js';

interface Entry {
  requestHash: string;
  requestId: string;
  etag: string;
  state: 'in-flight' | 'released' | 'completed';
  response?: StoredResponse;
}

/** The IdempotencyStore contract in memory (claims never time out here), with a call log. */
export class InMemoryIdempotencyStore implements IdempotencyStore {
  readonly entries = new Map<string, Entry>();
  readonly calls: string[] = [];
  /** Makes complete() and release() throw, as a storage outage would. */
  failSettling = false;

  claim(scope: string, key: string, requestHash: string): Promise<IdempotencyClaim> {
    this.calls.push('claim');
    const id = JSON.stringify([scope, key]);
    const existing = this.entries.get(id);
    if (existing === undefined) {
      const entry: Entry = {
        requestHash,
        requestId: randomUUID(),
        etag: randomUUID(),
        state: 'in-flight',
      };
      this.entries.set(id, entry);
      return Promise.resolve({ kind: 'claimed', requestId: entry.requestId, etag: entry.etag });
    }
    if (existing.requestHash !== requestHash) return Promise.resolve({ kind: 'mismatch' });
    if (existing.state === 'completed' && existing.response !== undefined) {
      return Promise.resolve({ kind: 'replay', response: existing.response });
    }
    if (existing.state === 'in-flight') return Promise.resolve({ kind: 'in-flight' });
    existing.state = 'in-flight';
    existing.etag = randomUUID();
    return Promise.resolve({ kind: 'claimed', requestId: existing.requestId, etag: existing.etag });
  }

  complete(scope: string, key: string, etag: string, response: StoredResponse): Promise<void> {
    this.calls.push('complete');
    const entry = this.owned(scope, key, etag);
    entry.state = 'completed';
    entry.response = response;
    return Promise.resolve();
  }

  release(scope: string, key: string, etag: string): Promise<void> {
    this.calls.push('release');
    this.owned(scope, key, etag).state = 'released';
    return Promise.resolve();
  }

  private owned(scope: string, key: string, etag: string): Entry {
    if (this.failSettling) throw new Error('storage unavailable');
    const entry = this.entries.get(JSON.stringify([scope, key]));
    if (entry?.etag !== etag) throw new Error('the claim was lost');
    return entry;
  }
}
