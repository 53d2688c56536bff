// What `npm start` does, decided from plain facts (arguments, environment, what is on disk), so the
// decision is testable without spawning anything. scripts/start.mjs gathers the facts and acts.
// Never imports `electron`: with its binary missing, that starts a download.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** What to run to get the desktop app, named in every fallback line. */
const GET_ELECTRON =
  '`node node_modules/electron/install.js` (or, offline, `npm run electron:from-zip -- ZIP`; README, "Air-gapped install")';

/** The installed `electron` package's folder and version, or null when the package is absent. */
export function findElectronPackage(appRoot) {
  try {
    const file = createRequire(path.join(appRoot, 'package.json')).resolve('electron/package.json');
    return { dir: path.dirname(file), version: JSON.parse(readFileSync(file, 'utf8')).version };
  } catch {
    return null;
  }
}

/**
 * Where Electron's own package (its index.js) would look for the binary: ELECTRON_OVERRIDE_DIST_PATH
 * joined with path.txt's name (or `electron`), else dist/ joined with path.txt's name. `binary` is
 * that path when the file exists, else null; `expected` is the path looked for (null: never installed).
 */
export function probeElectronBinary(electronDir, env) {
  const pathFile = path.join(electronDir, 'path.txt');
  const name = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  let expected = null;
  if (override) expected = path.join(override, name || 'electron');
  else if (name) expected = path.join(electronDir, 'dist', name);
  return { binary: expected && existsSync(expected) ? expected : null, expected };
}

function browser(args, reason) {
  return { kind: 'browser', args, reason: reason && `Starting browser mode: ${reason}` };
}

/**
 * The plan before anything runs. `electron` is null when the package is not installed, else
 * { version, binary, expected } from probeElectronBinary. Plans: electron (binary, args),
 * install (run Electron's installer, then planAfterInstall), browser (args, one-line reason or
 * null when the user asked for it).
 */
export function planLaunch({ args, env, platform, electron }) {
  const rest = args.filter((arg) => arg !== '--browser');
  if (rest.length !== args.length) return browser(rest, null);
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY)
    return browser(rest, 'no graphical display here (DISPLAY and WAYLAND_DISPLAY are unset), so no desktop window can open.');
  if (!electron)
    return browser(
      rest,
      'the electron package is not installed (an install with --omit=dev?). For the desktop app run `npm install`, then `npm start`.',
    );
  if (electron.binary) return { kind: 'electron', binary: electron.binary, args: rest };
  if (env.ELECTRON_OVERRIDE_DIST_PATH)
    return browser(
      rest,
      `ELECTRON_OVERRIDE_DIST_PATH is set but ${electron.expected} does not exist. Unset it or point it at an unpacked Electron.`,
    );
  if (env.ELECTRON_SKIP_BINARY_DOWNLOAD)
    return browser(
      rest,
      `ELECTRON_SKIP_BINARY_DOWNLOAD is set, so Electron's binary is not downloaded. For the desktop app run ${GET_ELECTRON}, then \`npm start\`.`,
    );
  return { kind: 'install', args: rest };
}

/** After Electron's installer ran: start the binary it installed, or say in one line why not. */
export function planAfterInstall({ args, exitCode, electron }) {
  if (exitCode === 0 && electron.binary) return { kind: 'electron', binary: electron.binary, args };
  const what =
    exitCode === 0
      ? 'finished but left no binary'
      : `failed (${exitCode === null ? 'killed' : `exit code ${exitCode}`}; its message is above)`;
  return browser(args, `Electron ${electron.version}'s installer ${what}. For the desktop app run ${GET_ELECTRON}, then \`npm start\`.`);
}

/** Electron's binary is there but the OS would not run it (not executable, wrong architecture). */
export function planAfterSpawnError({ args, binary, error }) {
  return browser(
    args,
    `Electron at ${binary} could not start (${error.code ?? error.message}). For the desktop app reinstall it: delete node_modules/electron/dist and path.txt, then run ${GET_ELECTRON}.`,
  );
}
