import type { z } from 'zod';
import { debuggingCalls, debuggingEvents } from '../debugging/calls';
import { engagementCalls, engagementEvents } from '../engagements/calls';
import { importCalls, importEvents } from '../import/calls';
import { lessonCalls, lessonEvents } from '../lessons/calls';
import { lessonExportCalls } from '../lessons/export-calls';
import { mapCalls } from '../map/calls';
import { notebookCalls, notebookEvents } from '../notebook/calls';
import { noteCalls, noteEvents } from '../notes/calls';
import { stakeholderCalls } from '../stakeholders/calls';
import { syncCalls, syncEvents } from '../sync/calls';
import { hubCalls, hubEvents } from '../sync/hub-calls';
import type { CallSpec } from './call-spec';

/**
 * The one contract between the renderer (and the CLI) and the main process: every domain's calls
 * and events, gathered from `shared/<domain>/calls.ts`. Each call has a request and a response
 * schema; the main process validates requests against it before any handler runs, the Electron
 * preload exposes exactly these calls, and the clients are typed from it. The same contract is
 * served over IPC (Electron), a loopback WebSocket (browser mode) and the notebook's local
 * command channel (the CLI beside a running app).
 */
export const calls = {
  ...notebookCalls,
  ...engagementCalls,
  ...noteCalls,
  ...syncCalls,
  ...mapCalls,
  ...stakeholderCalls,
  ...lessonCalls,
  ...lessonExportCalls,
  ...importCalls,
  ...debuggingCalls,
  ...hubCalls,
} satisfies Record<string, CallSpec>;

/** Pushed from main to every connected client. */
export const events = {
  ...notebookEvents,
  ...engagementEvents,
  ...noteEvents,
  ...syncEvents,
  ...lessonEvents,
  ...importEvents,
  ...debuggingEvents,
  ...hubEvents,
} satisfies Record<string, z.ZodType>;

export type Calls = typeof calls;
export type CallName = keyof Calls;
export type CallRequest<N extends CallName> = z.input<Calls[N]['request']>;
export type ParsedRequest<N extends CallName> = z.output<Calls[N]['request']>;
export type CallResponse<N extends CallName> = z.output<Calls[N]['response']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.hasOwn(calls, name);
}
