import os from 'node:os';
import path from 'node:path';

export const NOTEBOOK_ENV = 'OUTPOST_NOTEBOOK';

/** The per-user data folder each OS expects an app's data in (the same place for app, host and CLI). */
export function defaultNotebookDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = os.homedir(),
): string {
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Outpost', 'notebook');
  if (platform === 'win32') return path.join(env.APPDATA || path.join(home, 'AppData', 'Roaming'), 'Outpost', 'notebook');
  const dataHome = env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : path.join(home, '.local', 'share');
  return path.join(dataHome, 'outpost', 'notebook');
}

/** `--notebook DIR` wins over OUTPOST_NOTEBOOK, which wins over the OS default. */
export function resolveNotebookDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = flag || env[NOTEBOOK_ENV];
  return path.resolve(chosen || defaultNotebookDir(process.platform, env));
}

/** What lives inside a notebook folder. */
export function notebookLayout(dir: string) {
  return {
    root: dir,
    database: path.join(dir, 'db'),
    attachments: path.join(dir, 'attachments'),
    device: path.join(dir, 'device.json'),
    /** The device's Ed25519 key pair that signs its bundles (owner-only permissions). */
    deviceKey: path.join(dir, 'device-key.json'),
    lock: path.join(dir, 'outpost.lock'),
    /** While a process holds the notebook: where its command channel listens and the token it wants (owner-only). */
    channel: path.join(dir, 'outpost.channel'),
    /** The command channel's Unix socket, when the path is short enough for one (else in a private runtime folder). */
    socket: path.join(dir, 'outpost.sock'),
    lockTakeover: path.join(dir, 'outpost.lock.takeover'),
  };
}
