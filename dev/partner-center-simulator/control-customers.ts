import { randomUUID } from 'node:crypto';
import { parseCustomerId } from '../../shared/domain/customer-id.js';
import type { ControlAnswer } from './control-answer.js';
import { controlError, invalidBody } from './control-answer.js';
import {
  customerSeedListSchema,
  customerSeedSchema,
  decisionSchema,
  type CustomerSeed,
} from './control-schemas.js';
import type { SimulatorContext } from './context.js';
import type { SeededCustomer } from './seed.js';
import type { StoredQualification } from './types.js';
import { decide, denialReasonFor } from './vetting.js';
import { qualificationKeyOf } from './vocabulary.js';

export function listCustomers(ctx: SimulatorContext): ControlAnswer {
  const { state } = ctx;
  return {
    status: 200,
    body: state.allCustomers().map((customer) => state.customerView(customer)),
  };
}

/** One object → `{ customerId }`; an array (bulk seeding) → one entry per customer, all or none. */
export function createCustomers(ctx: SimulatorContext, value: unknown): ControlAnswer {
  let seeds: CustomerSeed[];
  if (Array.isArray(value)) {
    const parsed = customerSeedListSchema.safeParse(value);
    if (!parsed.success) return invalidBody('Invalid customers.', parsed.error);
    seeds = parsed.data;
  } else {
    const parsed = customerSeedSchema.safeParse(value);
    if (!parsed.success) return invalidBody('Invalid customer.', parsed.error);
    seeds = [parsed.data];
  }

  const now = ctx.now();
  const entries: SeededCustomer[] = [];
  const batch = new Set<string>();
  for (const seed of seeds) {
    const id = seed.customerId ?? randomUUID();
    if (batch.has(id) || ctx.state.hasCustomer(id)) {
      return controlError(409, `Customer ${id} already exists.`);
    }
    batch.add(id);
    entries.push({
      id,
      qualifications: seed.qualifications.map((item) => storedFrom(item, now)),
      commerceRelationship: seed.commerceRelationship,
    });
  }
  ctx.state.addCustomers(entries);
  const created = entries.map((entry) => ({ customerId: entry.id }));
  return { status: 201, body: Array.isArray(value) ? created : created[0] };
}

function storedFrom(item: CustomerSeed['qualifications'][number], now: Date): StoredQualification {
  const date = item.vettingCreateDate ?? item.vettingCreatedDate;
  const pending = item.vettingStatus === 'InReview';
  // The vetting clock counts from the seeded date, so "pending for a week" can be staged.
  const since = date === undefined ? now.getTime() : Date.parse(date);
  return {
    qualification: item.qualification,
    vettingStatus: item.vettingStatus,
    vettingReason: item.vettingReason,
    vettingCreateDate: date,
    pendingSince: pending ? since : undefined,
    submissions: 1,
  };
}

export function decideQualification(
  ctx: SimulatorContext,
  customerId: string,
  qualification: string,
  value: unknown,
): ControlAnswer {
  const id = parseCustomerId(customerId);
  const customer = id === undefined ? undefined : ctx.state.customer(id);
  if (customer === undefined) return controlError(404, `Customer ${customerId} not found.`);
  const item = customer.qualifications.get(qualificationKeyOf(qualification));
  if (item === undefined) {
    return controlError(404, `Customer ${customer.id} has no ${qualification} qualification.`);
  }
  const parsed = decisionSchema.safeParse(value);
  if (!parsed.success) return invalidBody('Invalid decision.', parsed.error);
  if (item.vettingStatus === undefined) {
    return controlError(400, `${item.qualification} has no vetting to decide.`);
  }
  const { vettingStatus, vettingReason } = parsed.data;
  const reason =
    vettingReason ?? (vettingStatus === 'Denied' ? denialReasonFor(item.qualification) : undefined);
  decide(item, vettingStatus, reason);
  return { status: 200, body: ctx.state.view(item) };
}
