import { z } from 'zod';
import type { ErrorInfo } from '../errors';

/**
 * Framing for the browser-mode WebSocket: requests carry an id that the response repeats;
 * events carry no id. Electron IPC needs no framing (invoke pairs request and response).
 */
export const MAX_FRAME_BYTES = 48 * 1024 * 1024;

export const requestFrameSchema = z.strictObject({
  id: z.number().int().nonnegative(),
  name: z.string().max(100),
  request: z.unknown(),
});
export type RequestFrame = z.infer<typeof requestFrameSchema>;

export type ResponseFrame = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: ErrorInfo };
export interface EventFrame {
  event: string;
  payload: unknown;
}
export type ServerFrame = ResponseFrame | EventFrame;

/** The WebSocket path of the API on the local host. */
export const API_SOCKET_PATH = '/api';
/** GET: 204 with this run's session cookie, 401 without (the page tells "signed out" from "host down"). */
export const SESSION_PATH = '/session';
