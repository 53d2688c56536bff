import { z } from 'zod';

/**
 * The notebook's local command channel (a Unix socket, or a named pipe on Windows): what the CLI
 * speaks to the process that holds the notebook. One JSON value per line. The first line proves
 * the client may talk at all (the token from the owner-only channel file); after it, the lines are
 * the browser WebSocket's frames (shared/api/wire.ts): requests with an id, responses repeating
 * it, and events without one.
 */
export const CHANNEL_PROTOCOL = 1;

export const helloFrameSchema = z.strictObject({
  hello: z.strictObject({ protocol: z.number().int(), token: z.string().max(200), client: z.string().max(100) }),
});
export type HelloFrame = z.infer<typeof helloFrameSchema>;

/** The host's answer to a hello: who it is (for messages), or why it refuses. */
export type WelcomeFrame = { welcome: { kind: string; pid: number } } | { refused: string };

/** What the channel file (owner-only, next to the lock) tells a client. */
export const channelFileSchema = z.strictObject({
  protocol: z.number().int(),
  socket: z.string().min(1).max(4096),
  token: z.string().min(1).max(200),
  pid: z.number().int(),
  kind: z.string().max(100),
  since: z.string().max(100),
});
export type ChannelFile = z.infer<typeof channelFileSchema>;
