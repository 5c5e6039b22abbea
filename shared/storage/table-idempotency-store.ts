import { createHash, randomUUID } from 'node:crypto';
import type { TableClient } from '@azure/data-tables';
import * as z from 'zod/mini';
import type { Clock } from '../domain/ports.js';
import {
  IDEMPOTENCY_CLAIM_TIMEOUT_MS,
  IDEMPOTENCY_TTL_MS,
  type IdempotencyClaim,
  type IdempotencyStore,
  type StoredResponse,
} from '../domain/idempotency.js';
import { isLostRace, isLostRaceOrGone, requireEtag, tableStatusCode } from './table-errors.js';
import '../zod-english.js';

type IdempotencyEntity = {
  partitionKey: string;
  rowKey: string;
  requestHash: string;
  requestId: string;
  state: 'in-flight' | 'retryable' | 'completed';
  createdAt: Date;
  claimedAt: Date;
  response?: string;
};

// Made on its first parse (z.lazy), not while an instance starts.
const storedResponseSchema = z.lazy(() =>
  z.object({
    status: z.number().check(z.int()),
    headers: z.record(z.string(), z.string()),
    body: z.string(),
  }),
);

/**
 * Idempotency keys in Table Storage: one row per (scope, key), the key hashed because row keys
 * cannot hold every printable character. Each transition is guarded by the row's ETag, so of
 * twenty identical requests exactly one claims the key.
 */
export class TableIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly table: () => TableClient,
    private readonly ensureTables: () => Promise<void>,
    private readonly clock: Clock,
  ) {}

  async claim(scope: string, key: string, requestHash: string): Promise<IdempotencyClaim> {
    await this.ensureTables();
    const rowKey = hashKey(key);
    for (let attempt = 0; attempt < 5; attempt++) {
      const now = this.clock.now();
      const fresh: IdempotencyEntity = {
        partitionKey: scope,
        rowKey,
        requestHash,
        requestId: randomUUID(),
        state: 'in-flight',
        createdAt: now,
        claimedAt: now,
      };
      try {
        const created = await this.table().createEntity(fresh);
        return claimed(fresh.requestId, created.etag);
      } catch (error) {
        if (tableStatusCode(error) !== 409) throw error;
      }
      let existing: IdempotencyEntity & { etag: string };
      try {
        existing = await this.table().getEntity<IdempotencyEntity>(scope, rowKey);
      } catch (error) {
        if (tableStatusCode(error) === 404) continue; // expired and deleted meanwhile
        throw error;
      }
      const age = now.getTime() - new Date(existing.createdAt).getTime();
      if (age > IDEMPOTENCY_TTL_MS) {
        await this.deleteIfUnchanged(scope, rowKey, existing.etag);
        continue;
      }
      if (existing.requestHash !== requestHash) return { kind: 'mismatch' };
      if (existing.state === 'completed' && existing.response !== undefined) {
        return {
          kind: 'replay',
          response: storedResponseSchema.parse(JSON.parse(existing.response)),
        };
      }
      const claimAge = now.getTime() - new Date(existing.claimedAt).getTime();
      if (existing.state === 'in-flight' && claimAge <= IDEMPOTENCY_CLAIM_TIMEOUT_MS) {
        return { kind: 'in-flight' };
      }
      // Retryable, or abandoned by a crashed instance: take it over, keeping its MS-RequestId.
      try {
        const updated = await this.table().updateEntity(
          { partitionKey: scope, rowKey, state: 'in-flight', claimedAt: now },
          'Merge',
          { etag: existing.etag },
        );
        return claimed(existing.requestId, updated.etag);
      } catch (error) {
        if (!isLostRace(error)) throw error;
      }
    }
    return { kind: 'in-flight' };
  }

  async complete(
    scope: string,
    key: string,
    etag: string,
    response: StoredResponse,
  ): Promise<void> {
    await this.table().updateEntity(
      {
        partitionKey: scope,
        rowKey: hashKey(key),
        state: 'completed',
        response: JSON.stringify(response),
      },
      'Merge',
      { etag },
    );
  }

  async release(scope: string, key: string, etag: string): Promise<void> {
    await this.table().updateEntity(
      { partitionKey: scope, rowKey: hashKey(key), state: 'retryable' },
      'Merge',
      { etag },
    );
  }

  /**
   * Removes records past their 24 h, at most `limit` and only until `signal` aborts (the scan
   * crosses partitions: it must not outlive the timer's function timeout); returns how many.
   */
  async purgeExpired(limit: number, signal: AbortSignal): Promise<number> {
    await this.ensureTables();
    const cutoff = new Date(this.clock.now().getTime() - IDEMPOTENCY_TTL_MS);
    const expired = this.table().listEntities<IdempotencyEntity>({
      queryOptions: {
        filter: `createdAt lt datetime'${cutoff.toISOString()}'`,
        select: ['PartitionKey', 'RowKey'],
      },
      abortSignal: signal,
    });
    let purged = 0;
    try {
      for await (const entity of expired) {
        if (purged >= limit || signal.aborted) break;
        await this.deleteIfUnchanged(entity.partitionKey, entity.rowKey, entity.etag, signal);
        purged++;
      }
    } catch (error) {
      if (!signal.aborted) throw error;
    }
    return purged;
  }

  private async deleteIfUnchanged(
    scope: string,
    rowKey: string,
    etag: string,
    abortSignal?: AbortSignal,
  ): Promise<void> {
    try {
      await this.table().deleteEntity(scope, rowKey, { etag, abortSignal });
    } catch (error) {
      if (!isLostRaceOrGone(error)) throw error;
    }
  }
}

function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

function claimed(requestId: string, etag: string | undefined): IdempotencyClaim {
  return { kind: 'claimed', requestId, etag: requireEtag(etag) };
}
