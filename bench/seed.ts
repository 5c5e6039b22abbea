import { randomUUID } from 'node:crypto';
import { updateRecord } from '../shared/application/customer-ledger.js';
import { applyObservation } from '../shared/application/apply-observation.js';
import type { Services } from '../shared/composition-root.js';
import { parseCustomerId, type CustomerId } from '../shared/domain/customer-id.js';
import type { CallContext } from '../shared/domain/ports.js';
import type { Qualification } from '../shared/domain/qualification.js';
import { silentLogger } from '../shared/logging/logger.js';
import { upstreamQualificationListSchema } from '../shared/partner-center/response-schemas.js';
import { every, forEachConcurrently } from './concurrency.js';
import type { SimulatorControl } from '../dev/partner-center-simulator/control-client.js';

/** Ledger writes in flight while seeding: enough to keep in-process Azurite busy, no more. */
const SEED_CONCURRENCY = 32;
const PROGRESS_EVERY_MS = 3_000;

export interface SeededCustomers {
  readonly ids: readonly CustomerId[];
  /** When their vetting started in the simulator: the vetting clock counts from here. */
  readonly pendingSince: Date;
}

/** N customers with Education InReview in the simulator, in one bulk request. */
export async function seedSimulator(
  simulator: SimulatorControl,
  records: number,
): Promise<SeededCustomers> {
  const pendingSince = new Date();
  const inReview = {
    qualification: 'Education',
    vettingStatus: 'InReview',
    vettingCreateDate: pendingSince.toISOString(),
  };
  const created = await simulator.createCustomers([inReview], records);
  return { ids: created.map(toCustomerId), pendingSince };
}

/**
 * Makes the gateway know the customers as pending, exactly as a first read does: what Partner
 * Center answers (the simulator's own view, validated by the gateway's response schema) goes
 * through the ledger — record, work-index mark and by-status row in real Azurite. One control
 * request replaces 10,000 `/v1` reads and 10,000 HTTP round trips to the gateway.
 */
export async function observeAsPending(
  services: Services,
  simulator: SimulatorControl,
  seeded: SeededCustomers,
): Promise<void> {
  const askedAt = new Date();
  const answers = await upstreamAnswers(simulator, seeded.ids);
  const call: CallContext = { correlationId: randomUUID(), logger: silentLogger };
  let done = 0;
  const stop = every(PROGRESS_EVERY_MS, () => {
    console.log(`  set-up: ${done}/${seeded.ids.length} customers recorded as pending`);
  });
  try {
    await forEachConcurrently(seeded.ids, SEED_CONCURRENCY, async (id) => {
      const observed = answers.get(id);
      if (observed === undefined) throw new Error(`The simulator does not list customer ${id}`);
      const { value: record } = await updateRecord(
        services.ledger,
        id,
        applyObservation(observed, askedAt, 'read'),
        call,
      );
      if (!record.qualifications?.some((q) => q.vettingStatus === 'InReview')) {
        throw new Error(`Customer ${id} was not recorded as InReview`);
      }
      done++;
    });
  } finally {
    stop();
  }
}

async function upstreamAnswers(
  simulator: SimulatorControl,
  ids: readonly CustomerId[],
): Promise<Map<CustomerId, Qualification[]>> {
  const wanted = new Set<string>(ids);
  const answers = new Map<CustomerId, Qualification[]>();
  for (const customer of await simulator.customers()) {
    if (!wanted.has(customer.customerId)) continue;
    answers.set(
      toCustomerId(customer.customerId),
      upstreamQualificationListSchema.parse(customer.qualifications),
    );
  }
  return answers;
}

function toCustomerId(value: string): CustomerId {
  const id = parseCustomerId(value);
  if (id === undefined) throw new Error(`Not a customer id: ${value}`);
  return id;
}
