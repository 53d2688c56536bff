import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { toErrorInfo } from '../../shared/errors';
import { ApiServer } from '../api/api-server';
import { openChannelOrWarn } from '../api/local-channel';
import { formatError } from '../cli/output';
import { Notebook } from '../notebook/notebook';
import { resolveNotebookDir } from '../notebook/paths';
import { startWebHost } from './web-host';

/**
 * `npm run web`: browser mode. Opens the notebook (taking its lock), serves the built renderer
 * and the API on 127.0.0.1, prints the URL, and closes everything cleanly on SIGINT/SIGTERM.
 */
const USAGE = 'Usage: outpost-web [--notebook DIR] [--port N]\n';

async function main(): Promise<number> {
  let values: { notebook?: string; port?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: { notebook: { type: 'string' }, port: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`outpost-web: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`outpost-web: --port must be a number from 0 to 65535\n${USAGE}`);
    return 2;
  }
  const here = path.dirname(fileURLToPath(import.meta.url));
  const rendererDir = process.env.OUTPOST_RENDERER_DIR ?? path.join(here, 'renderer');
  let notebook: Notebook;
  try {
    notebook = await Notebook.open(resolveNotebookDir(values.notebook), { kind: 'web host', serveCommands: true });
  } catch (error) {
    const info = toErrorInfo(error);
    process.stderr.write(formatError(info));
    return info.code === 'notebook_locked' ? 3 : 1;
  }
  const api = new ApiServer(notebook);
  const host = await startWebHost({ notebook, api, rendererDir, port }).catch(async (error) => {
    api.close();
    await notebook.close();
    throw error;
  });
  const channel = await openChannelOrWarn(notebook.dir, api, 'web host');
  process.stdout.write(
    `Outpost (browser mode) is running at ${host.url}\n` +
      'Open that address (its token signs this browser in for this run; keep it to yourself).\n' +
      `Notebook: ${notebook.dir}\nPress Ctrl+C to stop.\n`,
  );

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await channel?.close();
  await host.close();
  api.close();
  await notebook.close();
  return 0;
}

main().then(
  (code) => {
    // Everything is closed by now; leave even if a library keeps a timer alive.
    process.exit(code);
  },
  (error) => {
    process.stderr.write(formatError(toErrorInfo(error)));
    process.exitCode = 1;
  },
);
