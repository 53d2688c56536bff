import { toErrorInfo } from '../../shared/errors';
import { resolveNotebookDir } from '../notebook/paths';
import { UsageError } from './args';
import type { CliApi } from './cli-api';
import { COMMANDS, findCommand } from './commands';
import { type CliIO, formatError, processIO } from './output';

const usage = () => `Outpost — offline-first field notebook for forward-deployed engineers

Usage: outpost [--notebook DIR] COMMAND

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(24)} ${c.summary}`).join('\n')}

Run outpost COMMAND --help for a command's own usage. The notebook is --notebook DIR, else
$OUTPOST_NOTEBOOK, else the per-user data folder. While the app (or the browser host) has the
notebook open, commands go to it: nothing waits, nothing is refused.
Exit codes: 0 ok, 1 the command failed, 2 bad command line, 3 notebook open elsewhere (another
machine, or a process that does not answer).
`;

/** Splits off the global --notebook flag wherever it appears. */
function takeNotebookFlag(argv: string[]): { notebook: string | undefined; rest: string[] } {
  const rest: string[] = [];
  let notebook: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--notebook') {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError('--notebook needs a folder');
      notebook = value;
      i++;
    } else if (arg.startsWith('--notebook=')) {
      notebook = arg.slice('--notebook='.length);
      if (!notebook) throw new UsageError('--notebook needs a folder');
    } else rest.push(arg);
  }
  return { notebook, rest };
}

/**
 * The notebook through the contract: the process that holds it, over its command channel, or —
 * only when nobody holds it — opened here. The direct path (PGlite, the services) is loaded only
 * then, so a command beside a running app starts in a blink.
 */
async function openNotebookApi(dir: string, env: NodeJS.ProcessEnv): Promise<CliApi> {
  const { connectToHolder } = await import('./channel-client');
  const holder = await connectToHolder(dir);
  if (holder) return holder;
  const { openDirect } = await import('./direct-api');
  return openDirect(dir, env);
}

export async function runCli(argv: string[], io: CliIO = processIO): Promise<number> {
  try {
    const { notebook: flag, rest } = takeNotebookFlag(argv);
    const [name, ...args] = rest;
    if (!name || name === '--help' || name === '-h' || name === 'help') {
      io.stdout(usage());
      return name ? 0 : 2;
    }
    if (name === '--version') {
      io.stdout('outpost 0.1.0\n');
      return 0;
    }
    const command = findCommand(name);
    if (!command) throw new UsageError(`Unknown command "${name}". Run outpost --help.`);
    if (args[0] === '--help' || args[0] === '-h') {
      io.stdout(command.usage);
      return 0;
    }
    const dir = resolveNotebookDir(flag, io.env);
    const noNotebook = typeof command.noNotebook === 'function' ? command.noNotebook(args) : command.noNotebook;
    if (noNotebook) return await command.run({ api: noNotebookApi, io, dir }, args);
    const api = await openNotebookApi(dir, io.env);
    try {
      return await command.run({ api, io, dir }, args);
    } finally {
      await api.close();
    }
  } catch (error) {
    const info = toErrorInfo(error);
    io.stderr(formatError(info));
    if (error instanceof UsageError) return 2;
    return info.code === 'notebook_locked' ? 3 : 1;
  }
}

/** What a command that declared `noNotebook` gets for an api: any use of it is a bug. */
const noNotebookApi: CliApi = {
  mode: 'direct',
  answeredBy: 'nobody',
  call: () => Promise.reject(new Error('this command runs without a notebook')),
  on: () => () => {},
  close: async () => {},
  gone: new Promise(() => {}),
};
