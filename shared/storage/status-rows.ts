import type { CustomerId } from '../domain/customer-id.js';
import type { CustomerRecord } from '../domain/customer-record.js';
import { KNOWN_VETTING_STATUSES, type Qualification } from '../domain/qualification.js';
import { shardOf } from './tables.js';

/** A row of the by-status view: partition = status|shard, row = qualification|customer. */
export type StatusEntity = {
  partitionKey: string;
  rowKey: string;
  customerId: string;
  qualification: string;
  vettingCreateDate?: string;
  lastSyncedAt: Date;
};

/** A qualification under a status: the key of one row. */
export interface StatusRow {
  readonly qualification: string;
  readonly vettingStatus: string;
}

/** One row's identity among a customer's rows: its status and qualification. */
export function statusRowId(row: StatusRow): string {
  return `${row.vettingStatus}/${row.qualification}`;
}

/** Where the customer's row for `row` lives: its partition and row key. */
export function rowAddress(
  row: StatusRow,
  customerId: CustomerId,
): { partitionKey: string; rowKey: string } {
  return {
    partitionKey: partitionOf(row.vettingStatus, customerId),
    rowKey: rowKey(row.qualification, customerId),
  };
}

/** Only names that are safe as keys; Partner Center's statuses and qualifications are words. */
const WORD = /^[A-Za-z]{1,64}$/;

export function hasStatus(q: Qualification): q is Qualification & { vettingStatus: string } {
  return q.vettingStatus !== undefined && WORD.test(q.vettingStatus) && WORD.test(q.qualification);
}

/** The rows `record` shows, as written. */
export function statusEntities(record: CustomerRecord, lastSyncedAt: Date): StatusEntity[] {
  return (record.qualifications ?? []).filter(hasStatus).map((q) => ({
    ...rowAddress(q, record.customerId),
    customerId: record.customerId,
    qualification: q.qualification,
    ...(q.vettingCreateDate !== undefined && { vettingCreateDate: q.vettingCreateDate }),
    lastSyncedAt,
  }));
}

/** Rows of `previous` that `next` no longer has. */
export function leftStatuses(
  previous: CustomerRecord | undefined,
  next: CustomerRecord,
): StatusRow[] {
  const current = new Set((next.qualifications ?? []).filter(hasStatus).map(statusRowId));
  return (previous?.qualifications ?? [])
    .filter(hasStatus)
    .filter((q) => !current.has(statusRowId(q)));
}

/**
 * Every row the customer may have that `next` does not: the statuses Partner Center documents
 * and those `previous` had, for each qualification of either.
 */
export function everyOtherStatus(
  previous: CustomerRecord | undefined,
  next: CustomerRecord,
): StatusRow[] {
  const rows = leftStatuses(previous, next);
  for (const q of next.qualifications ?? []) {
    if (!WORD.test(q.qualification)) continue;
    for (const status of KNOWN_VETTING_STATUSES) {
      if (status !== q.vettingStatus)
        rows.push({ qualification: q.qualification, vettingStatus: status });
    }
  }
  const unique = new Map(rows.map((row) => [statusRowId(row), row]));
  return [...unique.values()];
}

/**
 * A status is spread over the sixteen partitions of `shardOf`: one partition per status would be
 * hot once every customer of a run changes.
 */
function partitionOf(vettingStatus: string, customerId: CustomerId): string {
  return `${vettingStatus}|${shardOf(customerId)}`;
}

function rowKey(qualification: string, customerId: string): string {
  return `${qualification}|${customerId}`;
}
