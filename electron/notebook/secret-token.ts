import crypto from 'node:crypto';

/** A random secret for a local channel (the browser host's login and session, the CLI's command channel). */
export function newSecretToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/** Constant-time comparison of a secret given by a client with ours (its length leaks nothing: ours is fixed). */
export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}
