import * as z from 'zod/mini';
import type { CustomerId } from '../domain/customer-id.js';
import type { CustomerRecord } from '../domain/customer-record.js';
import type { OutboxEvent } from '../domain/qualification-event.js';
import '../zod-english.js';

/** How a customer record is laid out in its row of the customers table (one per partition). */
export const RECORD_ROW = 'record';

// The JSON lists' schemas are made on their first parse (z.lazy), not while an instance starts.
const qualificationsSchema = z.lazy(() =>
  z.array(
    z.object({
      qualification: z.string(),
      vettingStatus: z.optional(z.string()),
      vettingReason: z.optional(z.string()),
      vettingCreateDate: z.optional(z.string()),
    }),
  ),
);
const openSubmissionsSchema = z.lazy(() =>
  z.array(
    z.object({
      requestId: z.string(),
      qualification: z.string(),
      submittedAt: z.string(),
      correlationId: z.string(),
    }),
  ),
);
const recentlyAcceptedSchema = z.lazy(() =>
  z.array(z.object({ qualification: z.string(), acceptedAt: z.string() })),
);
// Type aliases, not interfaces: the SDK's entity type needs an index signature. The JSON lists
// may be spread over more properties (see `spread`).
export type RecordEntity = {
  partitionKey: string;
  rowKey: string;
  qualifications?: string;
  lastSyncedAt?: Date;
  openSubmissions: string;
  recentlyAccepted?: string;
  unpublishedEvents: string;
} & Record<string, unknown>;

/** Characters in one string property: Table Storage takes 64 KiB of UTF-16. */
const MAX_PROPERTY_CHARS = 32_000;
/** An entity holds 1 MiB; what is kept leaves room for the keys and system properties. */
const MAX_RECORD_CHARS = 480_000;

/** A JSON list as `name`, then `name_1`, `name_2`… when it is longer than one property holds. */
function spread(name: string, json: string): Record<string, string> {
  const parts: Record<string, string> = {};
  for (let i = 0, at = 0; at < json.length || i === 0; i++, at += MAX_PROPERTY_CHARS) {
    parts[i === 0 ? name : `${name}_${String(i)}`] = json.slice(at, at + MAX_PROPERTY_CHARS);
  }
  return parts;
}

/** The JSON `spread` wrote, or undefined when the property is absent. */
function gather(entity: Record<string, unknown>, name: string): string | undefined {
  const first = entity[name];
  if (typeof first !== 'string') return undefined;
  let json = first;
  for (let i = 1; typeof entity[`${name}_${String(i)}`] === 'string'; i++) {
    json += entity[`${name}_${String(i)}`] as string;
  }
  return json;
}

export function toEntity(record: CustomerRecord): RecordEntity {
  const entity: RecordEntity = {
    partitionKey: record.customerId,
    rowKey: RECORD_ROW,
    ...(record.qualifications !== undefined &&
      spread('qualifications', JSON.stringify(record.qualifications))),
    ...(record.lastSyncedAt !== undefined && { lastSyncedAt: record.lastSyncedAt }),
    ...(spread('openSubmissions', JSON.stringify(record.openSubmissions)) as {
      openSubmissions: string;
    }),
    recentlyAccepted: JSON.stringify(record.recentlyAccepted),
    ...(spread('unpublishedEvents', JSON.stringify(record.unpublishedEvents)) as {
      unpublishedEvents: string;
    }),
  };
  const size = Object.values(entity).reduce<number>(
    (sum, value) => sum + (typeof value === 'string' ? value.length : 0),
    0,
  );
  if (size > MAX_RECORD_CHARS) {
    throw new RecordTooLargeError(
      `The record of customer ${record.customerId} would hold ${String(size)} characters, more than Table Storage takes`,
    );
  }
  return entity;
}

/** A record beyond what one entity holds: retrying the same write cannot succeed. */
export class RecordTooLargeError extends Error {
  override readonly name = 'RecordTooLargeError';
}

export function toRecord(customerId: CustomerId, entity: RecordEntity): CustomerRecord {
  const qualifications = gather(entity, 'qualifications');
  return {
    customerId,
    qualifications:
      qualifications === undefined
        ? undefined
        : qualificationsSchema.parse(JSON.parse(qualifications)),
    lastSyncedAt: entity.lastSyncedAt === undefined ? undefined : new Date(entity.lastSyncedAt),
    openSubmissions: openSubmissionsSchema.parse(
      JSON.parse(gather(entity, 'openSubmissions') ?? '[]'),
    ),
    recentlyAccepted: recentlyAcceptedSchema.parse(JSON.parse(entity.recentlyAccepted ?? '[]')),
    // Written only by this module from OutboxEvent values.
    unpublishedEvents: JSON.parse(gather(entity, 'unpublishedEvents') ?? '[]') as OutboxEvent[],
  };
}
