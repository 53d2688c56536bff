import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { CHANNEL_PROTOCOL, type ChannelFile, channelFileSchema, type WelcomeFrame } from '../../shared/api/channel-frames';
import type { ServerFrame } from '../../shared/api/wire';
import { OutpostError, type Result } from '../../shared/errors';
import { inspectNotebookLock, type LockHolder, lockedError } from '../notebook/lock';
import { notebookLayout } from '../notebook/paths';
import { type CliApi, cliApi } from './cli-api';

/** A holder that has just taken the lock needs a moment (PGlite boots) before its channel is up. */
const CHANNEL_WAIT_MS = 15_000;
const HELLO_WAIT_MS = 5_000;

/**
 * The process holding the notebook, as a CliApi over its command channel; null when nobody holds
 * it (or only a dead process's stale lock is left): the CLI then opens the notebook itself. A lock
 * from another machine, or a holder whose channel cannot be trusted or does not answer, is an
 * error with what to do.
 */
export async function connectToHolder(dir: string): Promise<CliApi | null> {
  const deadline = Date.now() + CHANNEL_WAIT_MS;
  for (;;) {
    const lock = inspectNotebookLock(dir);
    if (!lock || lock.stale) return null;
    const holder = lock.holder;
    if (holder && holder.hostname !== os.hostname()) throw lockedError(dir, holder);
    const channel = holder?.commands ? readChannelFile(dir) : null;
    if (holder && channel && channel.pid === holder.pid) return connect(dir, channel, holder);
    // A holder that serves commands may still be starting (PGlite boots); any other is refused at once.
    if (holder && (!holder.commands || Date.now() > deadline)) {
      throw new OutpostError(
        'notebook_locked',
        `${lockedError(dir, holder).message.replace(/ Close it there first\.$/, '')} ${
          holder.commands ? 'Its command channel did not open within 15 s.' : 'It does not take commands from the command line.'
        } Close it there first.`,
      );
    }
    if (!holder && Date.now() > deadline) throw lockedError(dir, null);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The owner-only channel file, or null while it is not there yet. Refuses one another account could have written. */
function readChannelFile(dir: string): ChannelFile | null {
  const file = notebookLayout(dir).channel;
  let text: string;
  try {
    assertOwnedByMe(file, 'The notebook’s command channel file');
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    return channelFileSchema.parse(JSON.parse(text));
  } catch {
    return null; // being rewritten by a holder that is starting
  }
}

function assertOwnedByMe(file: string, what: string): void {
  if (process.platform === 'win32') return;
  const stat = fs.lstatSync(file);
  const me = process.getuid?.();
  if (stat.uid !== me) {
    throw new OutpostError(
      'notebook_invalid',
      `${what} (${file}) belongs to another account (uid ${stat.uid}): refusing to send it anything. Remove it if you own the notebook.`,
    );
  }
  if (stat.mode & 0o077) {
    throw new OutpostError('notebook_invalid', `${what} (${file}) can be read or written by other accounts: refusing to use it.`);
  }
}

async function connect(dir: string, channel: ChannelFile, holder: LockHolder): Promise<CliApi> {
  const who = `${holder.kind} process ${holder.pid}`;
  if (process.platform !== 'win32') {
    try {
      assertOwnedByMe(channel.socket, 'The notebook’s command socket');
      if (!fs.lstatSync(channel.socket).isSocket()) throw new OutpostError('notebook_invalid', `${channel.socket} is not a socket`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw silentHolder(dir, who, 'its socket is gone');
      throw error;
    }
  }
  const socket = net.connect(channel.socket);
  socket.setEncoding('utf8');
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const listeners = new Set<(event: string, payload: unknown) => void>();
  let nextId = 1;
  let buffered = '';
  let welcomed: ((frame: WelcomeFrame) => void) | null = null;
  let lost: Error | null = null;

  const stopped = () =>
    new OutpostError(
      'transport',
      `The ${who} holding the notebook stopped before it answered. Whether the change was saved, its log says; check with a read (e.g. outpost notes list) before running it again.`,
    );
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf('\n');
      let frame: ServerFrame | WelcomeFrame;
      try {
        frame = JSON.parse(line);
      } catch {
        continue;
      }
      if ('welcome' in frame || 'refused' in frame) welcomed?.(frame);
      else if ('event' in frame) for (const listener of listeners) listener(frame.event, frame.payload);
      else {
        pending.get(frame.id)?.(frame.ok ? { ok: true, value: frame.value } : { ok: false, error: frame.error });
        pending.delete(frame.id);
      }
    }
  });
  const closed = new Promise<void>((resolve) => {
    socket.on('close', () => {
      lost ??= stopped();
      for (const done of pending.values()) done({ ok: false, error: { code: 'transport', message: lost.message } });
      pending.clear();
      welcomed?.({ refused: lost.message });
      resolve();
    });
  });
  socket.on('error', (error: NodeJS.ErrnoException) => {
    lost =
      error.code === 'ECONNREFUSED' || error.code === 'ENOENT'
        ? silentHolder(dir, who, error.code === 'ENOENT' ? 'its socket is gone' : 'connection refused')
        : stopped();
  });

  const welcome = await new Promise<WelcomeFrame>((resolve) => {
    const timer = setTimeout(() => resolve({ refused: `The ${who} holding the notebook did not answer within 5 s.` }), HELLO_WAIT_MS);
    welcomed = (frame) => {
      clearTimeout(timer);
      welcomed = null;
      resolve(frame);
    };
    socket.write(`${JSON.stringify({ hello: { protocol: CHANNEL_PROTOCOL, token: channel.token, client: 'outpost cli' } })}\n`);
  });
  if ('refused' in welcome) {
    socket.destroy();
    const failure = lost as Error | null; // set by the socket's handlers meanwhile
    throw failure && failure.message === welcome.refused ? failure : new OutpostError('notebook_locked', welcome.refused);
  }

  return cliApi('host', who, {
    call: (name, request) =>
      new Promise((resolve) => {
        if (socket.destroyed) {
          resolve({ ok: false, error: { code: 'transport', message: (lost ?? stopped()).message } });
          return;
        }
        const id = nextId++;
        pending.set(id, resolve);
        socket.write(`${JSON.stringify({ id, name, request })}\n`);
      }),
    onEvent: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: async () => {
      socket.end();
      await closed;
    },
    gone: closed,
  });
}

function silentHolder(dir: string, who: string, why: string): OutpostError {
  return new OutpostError(
    'notebook_locked',
    `The notebook at ${dir} is open by ${who}, but its command channel does not answer (${why}). If that process hung, stop it; Outpost takes over a dead process's lock by itself.`,
  );
}
