import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CHANNEL_PROTOCOL, type ChannelFile, helloFrameSchema, type WelcomeFrame } from '../../shared/api/channel-frames';
import { MAX_FRAME_BYTES, requestFrameSchema, type ServerFrame } from '../../shared/api/wire';
import { writeFileAtomic } from '../notebook/atomic-write';
import { notebookLayout } from '../notebook/paths';
import { newSecretToken, sameSecret } from '../notebook/secret-token';
import type { ApiEndpoint } from './endpoint';

/**
 * The notebook's command channel: while a process (the app, the browser host) holds the notebook,
 * the CLI sends it contract calls here instead of being refused. The same contract and validation
 * as the UI, over a socket only the owner can open (created 0600 under the owner-only umask, in the
 * owner-only notebook folder), and a random token per start in an owner-only file next to the lock
 * that a client must present first. See docs/security.md.
 */
export interface LocalChannel {
  readonly socketPath: string;
  close(): Promise<void>;
}

/** Unix socket paths are short (104 bytes on macOS, 108 on Linux, the NUL included). */
const MAX_SOCKET_PATH = 100;
const HELLO_TIMEOUT_MS = 5_000;

export async function openLocalChannel(dir: string, endpoint: ApiEndpoint, kind: string): Promise<LocalChannel> {
  const layout = notebookLayout(dir);
  const token = newSecretToken();
  const socketPath = channelSocketPath(dir);
  // This process holds the notebook's lock: a socket left here is a dead holder's.
  if (process.platform !== 'win32') fs.rmSync(socketPath, { force: true });
  const connections = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
    serveConnection(socket, endpoint, token, kind);
  });
  server.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  if (process.platform !== 'win32') fs.chmodSync(socketPath, 0o600);
  const file: ChannelFile = {
    protocol: CHANNEL_PROTOCOL,
    socket: socketPath,
    token,
    pid: process.pid,
    kind,
    since: new Date().toISOString(),
  };
  writeFileAtomic(layout.channel, `${JSON.stringify(file)}\n`);

  let closed = false;
  return {
    socketPath,
    close: async () => {
      if (closed) return;
      closed = true;
      fs.rmSync(layout.channel, { force: true });
      for (const socket of connections) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (process.platform !== 'win32') fs.rmSync(socketPath, { force: true });
    },
  };
}

/** Opens the channel; if it cannot be (a runtime folder that is not private…), says so and runs without it. */
export async function openChannelOrWarn(dir: string, endpoint: ApiEndpoint, kind: string): Promise<LocalChannel | null> {
  try {
    return await openLocalChannel(dir, endpoint, kind);
  } catch (error) {
    process.emitWarning(`The command line cannot reach this notebook while it is open here: ${(error as Error).message}`, {
      code: 'OUTPOST_CHANNEL',
    });
    return null;
  }
}

/** Next to the lock when the path fits; else in a private folder of this user's runtime directory. */
export function channelSocketPath(dir: string): string {
  const digest = crypto.createHash('sha256').update(path.resolve(dir)).digest('hex').slice(0, 24);
  if (process.platform === 'win32') return `\\\\.\\pipe\\outpost-${digest}`;
  const beside = notebookLayout(dir).socket;
  if (Buffer.byteLength(beside) <= MAX_SOCKET_PATH) return beside;
  const base = process.env.XDG_RUNTIME_DIR && path.isAbsolute(process.env.XDG_RUNTIME_DIR) ? process.env.XDG_RUNTIME_DIR : os.tmpdir();
  const folder = path.join(base, `outpost-${process.getuid?.() ?? 'user'}`);
  fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
  const stat = fs.lstatSync(folder);
  if (!stat.isDirectory() || stat.uid !== process.getuid?.() || (stat.mode & 0o077) !== 0) {
    throw new Error(`${folder} is not a private folder of this user; cannot place the notebook's command channel there`);
  }
  return path.join(folder, `${digest}.sock`);
}

/**
 * One client: a hello with the token first (within 5 s), then contract calls. Whatever it sends —
 * a wrong token, a line too long, bytes that are not JSON — ends this connection only.
 */
function serveConnection(socket: net.Socket, endpoint: ApiEndpoint, token: string, kind: string): void {
  socket.setEncoding('utf8');
  socket.on('error', () => socket.destroy());
  let session: ReturnType<ApiEndpoint['connect']> | null = null;
  let buffered = '';
  const write = (frame: ServerFrame | WelcomeFrame) => {
    if (!socket.destroyed) socket.write(`${JSON.stringify(frame)}\n`);
  };
  const refuse = (why: string) => {
    write({ refused: why });
    socket.end();
    socket.destroySoon();
  };
  const helloTimer = setTimeout(() => refuse('No hello within 5 s'), HELLO_TIMEOUT_MS);
  socket.on('close', () => {
    clearTimeout(helloTimer);
    session?.close();
  });

  const handle = async (line: string) => {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      refuse('Malformed frame');
      return;
    }
    if (!session) {
      const hello = helloFrameSchema.safeParse(value);
      clearTimeout(helloTimer);
      if (!hello.success || hello.data.hello.protocol !== CHANNEL_PROTOCOL || !sameSecret(hello.data.hello.token, token)) {
        refuse('Wrong or missing token: this channel takes commands only from its owner (the token is in the notebook folder).');
        return;
      }
      session = endpoint.connect((event, payload) => write({ event, payload }));
      write({ welcome: { kind, pid: process.pid } });
      return;
    }
    const frame = requestFrameSchema.safeParse(value);
    if (!frame.success) {
      refuse('Malformed request frame');
      return;
    }
    const result = await session.call(frame.data.name, frame.data.request);
    write({ id: frame.data.id, ...result });
  };

  socket.on('data', (chunk: string) => {
    buffered += chunk;
    if (buffered.length > MAX_FRAME_BYTES) {
      refuse('Frame too large');
      buffered = '';
      return;
    }
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line.trim()) void handle(line).catch(() => socket.destroy());
      newline = buffered.indexOf('\n');
    }
  });
}
