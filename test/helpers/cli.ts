import { runCli } from '../../electron/cli/main';
import { Notebook } from '../../electron/notebook/notebook';
import { migratedTemplate, tempDir } from './notebook';

/** Runs the CLI in-process against `dir`, capturing what a terminal would show. */
export async function cli(dir: string, ...args: string[]) {
  return cliWithStdin(dir, '', ...args);
}

export async function cliWithStdin(dir: string, stdin: string, ...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['--notebook', dir, ...args], {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    readStdin: async () => stdin,
    env: {},
  });
  return { code, stdout, stderr };
}

/** A notebook folder already initialised from the migrated template (skips initdb). */
export async function notebookDir(): Promise<string> {
  const dir = tempDir();
  await (await Notebook.open(dir, { kind: 'test', template: migratedTemplate() })).close();
  return dir;
}
