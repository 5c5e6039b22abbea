import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import type { CustomerId } from '../domain/customer-id.js';
import type { CustomerQualifications } from '../domain/customer-qualifications.js';
import { hasPendingVetting } from '../domain/customer-qualifications.js';
import type { QualificationStore, SaveResult, Stored } from '../domain/ports.js';
import { isLostRace, tableStatusCode } from './table-errors.js';

const SNAPSHOT_ROW = 'qualifications';

const storedQualificationsSchema = z.array(
  z.object({
    qualification: z.string(),
    vettingStatus: z.string().optional(),
    vettingReason: z.string().optional(),
    vettingCreateDate: z.string().optional(),
  }),
);

interface SnapshotEntity {
  partitionKey: string;
  rowKey: string;
  qualifications: string;
  lastSyncedAt: Date;
  hasPending: boolean;
}

/**
 * Each customer is one partition: its snapshot row now, its history and outbox rows beside it,
 * so that one entity-group transaction can change them together.
 */
export class TableQualificationStore implements QualificationStore {
  constructor(
    private readonly table: TableClient,
    private readonly ensureTables: () => Promise<void>,
  ) {}

  async get(customerId: CustomerId): Promise<Stored<CustomerQualifications> | undefined> {
    await this.ensureTables();
    try {
      const entity = await this.table.getEntity<SnapshotEntity>(customerId, SNAPSHOT_ROW);
      return {
        value: {
          customerId,
          qualifications: storedQualificationsSchema.parse(JSON.parse(entity.qualifications)),
          lastSyncedAt: new Date(entity.lastSyncedAt),
        },
        etag: entity.etag,
      };
    } catch (error) {
      if (tableStatusCode(error) === 404) return undefined;
      throw new Error(`Could not read the cached qualifications of ${customerId}`, {
        cause: error,
      });
    }
  }

  async save(
    snapshot: CustomerQualifications,
    expectedEtag: string | undefined,
  ): Promise<SaveResult> {
    await this.ensureTables();
    const entity: SnapshotEntity = {
      partitionKey: snapshot.customerId,
      rowKey: SNAPSHOT_ROW,
      qualifications: JSON.stringify(snapshot.qualifications),
      lastSyncedAt: snapshot.lastSyncedAt,
      hasPending: hasPendingVetting(snapshot),
    };
    try {
      const response =
        expectedEtag === undefined
          ? await this.table.createEntity(entity)
          : await this.table.updateEntity(entity, 'Replace', { etag: expectedEtag });
      if (response.etag === undefined) throw new Error('Table Storage returned no ETag');
      return { ok: true, etag: response.etag };
    } catch (error) {
      if (isLostRace(error)) return { ok: false };
      throw new Error(`Could not store the qualifications of ${snapshot.customerId}`, {
        cause: error,
      });
    }
  }

  async ping(): Promise<void> {
    await this.ensureTables();
    // A point read of a row that never exists: one cheap round trip that proves access.
    try {
      await this.table.getEntity('health', 'probe');
    } catch (error) {
      if (tableStatusCode(error) !== 404) throw error;
    }
  }
}
