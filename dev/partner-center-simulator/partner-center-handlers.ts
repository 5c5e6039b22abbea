import { parseCustomerId } from '../../shared/domain/customer-id.js';
import {
  invalidProperty,
  noCommerceRelationship,
  tenantIdNotGuid,
  tenantNotFound,
  type SimResponse,
} from './api-fault.js';
import { findConflict, readCreateRequest } from './rules.js';
import { SEEDED_PARTNER_ID } from './seed.js';
import type { SimulatorState } from './state.js';
import type { Customer } from './types.js';
import type { ValidationCode } from './types.js';
import { partnerCenterDate, qualificationKeyOf } from './vocabulary.js';

type Lookup = { ok: true; customer: Customer } | { ok: false; response: SimResponse };

function lookupCustomer(state: SimulatorState, rawId: string): Lookup {
  const id = parseCustomerId(rawId);
  if (id === undefined) return { ok: false, response: tenantIdNotGuid() };
  const customer = state.customer(id);
  if (customer === undefined) return { ok: false, response: tenantNotFound() };
  if (!customer.commerceRelationship) {
    return { ok: false, response: noCommerceRelationship(SEEDED_PARTNER_ID, customer.id) };
  }
  return { ok: true, customer };
}

export function getQualifications(state: SimulatorState, rawId: string): SimResponse {
  const found = lookupCustomer(state, rawId);
  if (!found.ok) return found.response;
  return { status: 200, body: state.qualificationsView(found.customer) };
}

export function listValidations(state: SimulatorState): SimResponse {
  return { status: 200, body: state.validationCodes() };
}

export function createQualification(
  state: SimulatorState,
  now: Date,
  rawId: string,
  text: string,
  legacyCode: string | undefined,
): SimResponse {
  const found = lookupCustomer(state, rawId);
  if (!found.ok) return found.response;
  const { customer } = found;
  const parsed = readCreateRequest(text, legacyCode);
  if (!parsed.ok) return parsed.response;
  const request = parsed.value;

  let code: ValidationCode | undefined;
  if (request.qualification === 'GovernmentCommunityCloud') {
    code = state.validationCode(request.validationCode);
    if (code === undefined) {
      return invalidProperty(
        `Validation code '${request.validationCode}' was not found for this partner.`,
      );
    }
    if (code.remainingCreates !== null && code.remainingCreates <= 0) {
      return invalidProperty(
        `Validation code '${code.validationId}' has no remaining creates (maxCreates ${String(code.maxCreates)}).`,
      );
    }
  }
  const conflict = findConflict(customer, request.qualification);
  if (conflict !== undefined) return conflict;

  // Consumed only once nothing else can fail, so a rejected create costs no code.
  if (code !== undefined && code.remainingCreates !== null) code.remainingCreates -= 1;
  const key = qualificationKeyOf(request.qualification);
  const submissions = (customer.qualifications.get(key)?.submissions ?? 0) + 1;
  const pending = request.qualification !== 'StateOwnedEntity';
  const item = {
    qualification: request.qualification,
    vettingStatus: pending ? 'InReview' : undefined,
    vettingReason: undefined,
    vettingCreateDate: pending ? partnerCenterDate(now) : undefined,
    pendingSince: pending ? now.getTime() : undefined,
    submissions,
  };
  customer.qualifications.set(key, item);
  return { status: 201, body: state.view(item) };
}
