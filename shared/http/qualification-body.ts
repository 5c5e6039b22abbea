import type { z } from 'zod';
import { createQualificationBodySchema } from '../api/schemas.js';
import {
  SETTABLE_QUALIFICATIONS,
  canonicalSettableQualification,
  isUnsettableQualification,
} from '../domain/qualification.js';
import type { Problem } from './problem.js';
import { parseRequestPart, type Parsed } from './request-validation.js';

export type CreateQualificationBody = z.output<typeof createQualificationBodySchema>;

/**
 * The submission body: the qualification name matched case-insensitively, then the strict schema.
 * Names that exist but cannot be set, and names that do not exist, get a sentence of their own.
 */
export function parseQualificationBody(body: unknown): Parsed<CreateQualificationBody> {
  if (isRecord(body) && typeof body.qualification === 'string') {
    const name = body.qualification;
    if (isUnsettableQualification(name)) {
      return invalid(
        `${name} cannot be set: Partner Center assigns None and Nonprofit itself. Settable are ${SETTABLE_QUALIFICATIONS.join(', ')}.`,
      );
    }
    const canonical = canonicalSettableQualification(name);
    if (canonical === undefined) {
      return invalid(
        `"${name.slice(0, 100)}" is not a qualification. Expected one of ${SETTABLE_QUALIFICATIONS.join(', ')}.`,
      );
    }
    return parseRequestPart(
      createQualificationBodySchema,
      { ...body, qualification: canonical },
      'body',
    );
  }
  return parseRequestPart(createQualificationBodySchema, body, 'body');
}

function invalid(message: string): Parsed<CreateQualificationBody> {
  const problem: Problem = {
    status: 400,
    type: 'invalid-request',
    detail: `body.qualification: ${message}`,
    errors: [{ path: 'body.qualification', message }],
  };
  return { ok: false, problem };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
