import { z } from 'zod';

/** One contract call: the schema its request is validated against, and its response's. */
export interface CallSpec {
  request: z.ZodType;
  response: z.ZodType;
}

/** A request or response with no fields. */
export const empty = z.strictObject({});
