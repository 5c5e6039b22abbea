import type { CustomerId } from './customer-id.js';
import type { Qualification } from './qualification.js';

/** The last known qualifications of one customer, as read from Partner Center at `lastSyncedAt`. */
export interface CustomerQualifications {
  readonly customerId: CustomerId;
  readonly qualifications: readonly Qualification[];
  readonly lastSyncedAt: Date;
}
