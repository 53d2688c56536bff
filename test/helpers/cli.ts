import { afterEach } from 'vitest';
import { ApiServer } from '../../electron/api/api-server';
import { type LocalChannel, openLocalChannel } from '../../electron/api/local-channel';
import { runCli } from '../../electron/cli/main';
import { Notebook } from '../../electron/notebook/notebook';
import { OutpostError } from '../../shared/errors';
import { migratedTemplate, tempDir } from './notebook';

/**
 * The CLI in-process, as a terminal would see it, in either of its two modes:
 * - `direct`: nobody holds the notebook; the CLI opens it itself;
 * - `host`: a holder (as the app or the browser host would) has it open and serves its command
 *   channel; the CLI sends every call there. Same commands, same output expected.
 */
export type CliMode = 'direct' | 'host';
export const CLI_MODES: CliMode[] = ['direct', 'host'];

let mode: CliMode = 'direct';
const holders = new Map<string, Promise<Holder>>();

interface Holder {
  notebook: Notebook;
  server: ApiServer;
  channel: LocalChannel;
}

afterEach(async () => {
  mode = 'direct';
  await stopHolders();
});

/** Runs the rest of the test (and the next `cli` calls) in this mode; reset after each test. */
export function setCliMode(next: CliMode): void {
  mode = next;
}

export async function cli(dir: string, ...args: string[]) {
  return cliWithStdin(dir, '', ...args);
}

export async function cliWithStdin(dir: string, stdin: string | Uint8Array, ...args: string[]) {
  if (mode === 'host') await holderOf(dir);
  let stdout = '';
  let stderr = '';
  const code = await runCli(['--notebook', dir, ...args], {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    readStdin: async (maxBytes) => {
      const bytes = typeof stdin === 'string' ? Buffer.from(stdin) : stdin;
      if (bytes.length > maxBytes) throw new OutpostError('invalid_request', `Standard input is larger than ${maxBytes} bytes`);
      return bytes;
    },
    env: {},
  });
  return { code, stdout, stderr };
}

/**
 * The notebook at `dir` for a test to look into: the holder's in host mode, else opened here
 * (and closed after `fn`), so a test reads what the CLI wrote the same way in both modes.
 */
export async function withNotebook<T>(dir: string, fn: (notebook: Notebook) => Promise<T>): Promise<T> {
  const holder = holders.get(dir);
  if (holder) return fn((await holder).notebook);
  const notebook = await Notebook.open(dir, { kind: 'test' });
  try {
    return await fn(notebook);
  } finally {
    await notebook.close();
  }
}

/** Closes the holders this test started (the notebook, its services and its channel). */
export async function stopHolders(): Promise<void> {
  const started = [...holders.values()];
  holders.clear();
  for (const pending of started) {
    const { notebook, server, channel } = await pending;
    await channel.close();
    server.close();
    await notebook.close();
  }
}

function holderOf(dir: string): Promise<Holder> {
  let holder = holders.get(dir);
  if (!holder) {
    holder = (async () => {
      const notebook = await Notebook.open(dir, { kind: 'test host', serveCommands: true });
      const server = new ApiServer(notebook);
      return { notebook, server, channel: await openLocalChannel(dir, server, 'test host') };
    })();
    holders.set(dir, holder);
  }
  return holder;
}

/** A notebook folder already initialised from the migrated template (skips initdb). */
export async function notebookDir(): Promise<string> {
  const dir = tempDir();
  await (await Notebook.open(dir, { kind: 'test', template: migratedTemplate() })).close();
  return dir;
}
