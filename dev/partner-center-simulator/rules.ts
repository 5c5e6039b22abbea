import { conflict, invalidProperty, type SimResponse } from './api-fault.js';
import type { Customer } from './types.js';
import {
  CREATABLE_QUALIFICATIONS,
  EDUCATION_SEGMENTS,
  QUALIFICATION_ENUM_VALUES,
  UNSETTABLE_QUALIFICATIONS,
  canonicalOf,
  qualificationKeyOf,
} from './vocabulary.js';

/** The portal allows three attempts per qualification; the API is held to the same. */
const MAX_SUBMISSIONS = 3;

export type CreateRequest =
  | { qualification: 'Education'; educationSegment: string; website?: string }
  | { qualification: 'GovernmentCommunityCloud'; validationCode: string }
  | { qualification: 'StateOwnedEntity' };

export type RuleResult<T> = { ok: true; value: T } | { ok: false; response: SimResponse };

const fail = (response: SimResponse): { ok: false; response: SimResponse } => ({
  ok: false,
  response,
});

/**
 * Reads a create body the way the .NET binder does: property names case-insensitive (the last
 * spelling wins), enum values case-insensitive or as SDK integers, unknown properties ignored.
 * `legacyCode` is the deprecated `?code=` query parameter; the body's validationCode wins.
 */
export function readCreateRequest(
  text: string,
  legacyCode: string | undefined,
): RuleResult<CreateRequest> {
  const props = readObject(text);
  if (props === undefined) return fail(invalidProperty('The request body must be a JSON object.'));

  const raw = props.get('qualification');
  if (raw === undefined || raw === null || raw === '') {
    return fail(invalidProperty('The qualification property is required.'));
  }
  const name = enumName(raw);
  if (name !== undefined && canonicalOf(UNSETTABLE_QUALIFICATIONS, name) !== undefined) {
    return fail(invalidProperty(`Qualification '${name}' cannot be set on a customer.`));
  }
  const qualification =
    name === undefined ? undefined : canonicalOf(CREATABLE_QUALIFICATIONS, name);
  if (qualification === undefined) {
    return fail(
      invalidProperty(
        `${JSON.stringify(raw)} is not a valid qualification. ` +
          `Valid values: ${CREATABLE_QUALIFICATIONS.join(', ')}.`,
      ),
    );
  }
  switch (qualification) {
    case 'Education':
      return readEducation(props);
    case 'GovernmentCommunityCloud':
      return readGovernmentCommunityCloud(props, legacyCode);
    case 'StateOwnedEntity':
      return { ok: true, value: { qualification } };
  }
}

function readEducation(props: Map<string, unknown>): RuleResult<CreateRequest> {
  const segment = props.get('educationsegment');
  if (segment === undefined || segment === null || segment === '') {
    return fail(
      invalidProperty(
        'The educationSegment property is required for the Education qualification ' +
          `(${EDUCATION_SEGMENTS.join(' or ')}).`,
      ),
    );
  }
  const educationSegment =
    typeof segment === 'string' ? canonicalOf(EDUCATION_SEGMENTS, segment) : undefined;
  if (educationSegment === undefined) {
    return fail(
      invalidProperty(
        `${JSON.stringify(segment)} is not a valid educationSegment. ` +
          `Valid values: ${EDUCATION_SEGMENTS.join(', ')}.`,
      ),
    );
  }
  const website = props.get('website');
  if (website === undefined || website === null) {
    return { ok: true, value: { qualification: 'Education', educationSegment } };
  }
  if (typeof website !== 'string') {
    return fail(invalidProperty('The website property must be a string.'));
  }
  return { ok: true, value: { qualification: 'Education', educationSegment, website } };
}

function readGovernmentCommunityCloud(
  props: Map<string, unknown>,
  legacyCode: string | undefined,
): RuleResult<CreateRequest> {
  const fromBody = props.get('validationcode');
  if (fromBody !== undefined && fromBody !== null && typeof fromBody !== 'string') {
    return fail(invalidProperty('The validationCode property must be a string.'));
  }
  const validationCode = typeof fromBody === 'string' && fromBody !== '' ? fromBody : legacyCode;
  if (validationCode === undefined || validationCode === '') {
    return fail(
      invalidProperty(
        'The validationCode property is required for the GovernmentCommunityCloud qualification.',
      ),
    );
  }
  return { ok: true, value: { qualification: 'GovernmentCommunityCloud', validationCode } };
}

const COUNTERPART: Readonly<Record<string, string>> = {
  Education: 'GovernmentCommunityCloud',
  GovernmentCommunityCloud: 'Education',
};

/**
 * State rules, checked after the body is valid. A Denied qualification is not in effect, so it
 * neither blocks its counterpart nor a resubmission (up to MAX_SUBMISSIONS in total).
 */
export function findConflict(customer: Customer, qualification: string): SimResponse | undefined {
  const counterpartName = COUNTERPART[qualification];
  const counterpart =
    counterpartName === undefined
      ? undefined
      : customer.qualifications.get(qualificationKeyOf(counterpartName));
  if (counterpart !== undefined && counterpart.vettingStatus !== 'Denied') {
    return conflict(
      'Education and GovernmentCommunityCloud cannot both be set on one customer; ' +
        `the customer already has ${counterpart.qualification}.`,
    );
  }
  const existing = customer.qualifications.get(qualificationKeyOf(qualification));
  if (existing === undefined) return undefined;
  if (existing.vettingStatus === undefined) {
    return conflict(`The customer already has qualification '${qualification}'.`);
  }
  if (existing.vettingStatus !== 'Denied') {
    return conflict(
      `The customer already has qualification '${qualification}' ` +
        `with vetting status ${existing.vettingStatus}.`,
    );
  }
  if (existing.submissions >= MAX_SUBMISSIONS) {
    return conflict(
      `Qualification '${qualification}' was already submitted ${existing.submissions} times ` +
        `for this customer; at most ${MAX_SUBMISSIONS} submissions are allowed.`,
    );
  }
  return undefined;
}

function readObject(text: string): Map<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const props = new Map<string, unknown>();
  for (const [key, item] of Object.entries(value)) props.set(key.toLowerCase(), item);
  return props;
}

function enumName(raw: unknown): string | undefined {
  if (typeof raw === 'number') {
    return Number.isInteger(raw) ? QUALIFICATION_ENUM_VALUES[raw] : undefined;
  }
  return typeof raw === 'string' ? canonicalOf(QUALIFICATION_ENUM_VALUES, raw.trim()) : undefined;
}
