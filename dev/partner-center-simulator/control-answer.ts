import type * as z from 'zod';
import { issuesOf } from './control-schemas.js';

export interface ControlAnswer {
  status: number;
  body?: unknown;
}

export function controlError(status: number, message: string): ControlAnswer {
  return { status, body: { message } };
}

export function invalidBody(message: string, error: z.ZodError): ControlAnswer {
  return { status: 400, body: { message, issues: issuesOf(error) } };
}
