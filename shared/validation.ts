import type { z } from 'zod';
import { OutpostError } from './errors';

/** One readable line per zod issue, prefixed with the field path when there is one. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}`;
    return path ? `${path}: ${issue.message}` : issue.message;
  });
}

/** Parses or throws an `invalid_request` OutpostError whose details list every problem. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = describeIssues(result.error);
  throw new OutpostError('invalid_request', `Invalid ${what}: ${details.join('; ')}`, details);
}

/**
 * 20000 → "20,000", for limits named in validation messages. Not `toLocaleString`: its first call
 * loads ICU's number formatting (about 18 ms), and schemas build their messages when the module
 * loads, so every CLI start paid it.
 */
export function withThousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
