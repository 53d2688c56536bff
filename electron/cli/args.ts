import { type ParseArgsConfig, parseArgs } from 'node:util';
import { OutpostError } from '../../shared/errors';

export type Options = NonNullable<ParseArgsConfig['options']>;

/** Thrown for a bad command line: printed with the usage, exit code 2. */
export class UsageError extends OutpostError {
  constructor(message: string) {
    super('invalid_request', message);
  }
}

/** Strict parsing: an unknown flag, a missing value or a stray argument is an error, never ignored. */
export function parseCommand<O extends Options>(args: string[], options: O, positionals: { min: number; max: number; names: string }) {
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
  const count = parsed.positionals.length;
  if (count < positionals.min) throw new UsageError(`Missing ${positionals.names}`);
  if (count > positionals.max) throw new UsageError(`Unexpected argument "${parsed.positionals[positionals.max]}"`);
  return parsed;
}
