/**
 * Errors are values: a stable machine-readable code and a message a person can act on.
 * The UI shows `message`; the CLI prints it to stderr and exits non-zero.
 */
export type ErrorCode =
  | 'invalid_request'
  | 'not_found'
  | 'conflict'
  | 'ambiguous'
  | 'notebook_locked'
  | 'notebook_invalid'
  | 'unknown_call'
  | 'transport'
  | 'internal'
  /** The notebook is in offline mode: nothing is opened outside the app (Settings turns it off). */
  | 'offline_mode'
  // Sync bundles (docs/bundle-format.md): each way a bundle can be refused has its own code.
  | 'bundle_invalid'
  | 'bundle_version'
  | 'bundle_signature'
  | 'bundle_key'
  | 'bundle_too_large'
  | 'bundle_untrusted'
  | 'bundle_classification'
  // Team hub: the hub's own store, and a hub that refuses or cannot be reached.
  | 'hub_database'
  | 'hub_refused'
  | 'hub_unreachable'
  | 'hub_untrusted';

export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  /** One line per problem, e.g. per invalid field. */
  details?: string[];
}

export class OutpostError extends Error {
  readonly code: ErrorCode;
  readonly details: string[] | undefined;

  constructor(code: ErrorCode, message: string, details?: string[]) {
    super(message);
    this.name = 'OutpostError';
    this.code = code;
    this.details = details;
  }

  toInfo(): ErrorInfo {
    return this.details ? { code: this.code, message: this.message, details: this.details } : { code: this.code, message: this.message };
  }
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

/** Turns anything thrown into an ErrorInfo; unknown failures become `internal` with their message kept. */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof OutpostError) return error.toInfo();
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message: `Unexpected error: ${message}` };
}

/** Re-raises an ErrorInfo received over a transport as an OutpostError. */
export function fromErrorInfo(info: ErrorInfo): OutpostError {
  return new OutpostError(info.code, info.message, info.details);
}
