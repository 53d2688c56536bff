// `npm start`: the desktop app. When Electron's binary is missing (Electron 45 downloads it on first
// use, not at install), run Electron's own installer first; fall back to browser mode, with one
// line saying why and what to run, only when that is skipped or fails. `npm start -- --browser`
// chooses browser mode. Decisions live in launch-plan.mjs; this file only gathers facts and runs.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectronPackage, planAfterInstall, planAfterSpawnError, planLaunch, probeElectronBinary } from './launch-plan.mjs';

const appRoot = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const electronPackage = findElectronPackage(appRoot);
const probe = () => electronPackage && { version: electronPackage.version, ...probeElectronBinary(electronPackage.dir, process.env) };

let plan = planLaunch({ args: process.argv.slice(2), env: process.env, platform: process.platform, electron: probe() });
if (plan.kind === 'install') {
  console.log(`Electron ${electronPackage.version}'s binary is not here yet; getting it with Electron's own installer (once)…`);
  const installer = spawnSync(process.execPath, [path.join(electronPackage.dir, 'install.js')], { stdio: 'inherit' });
  plan = planAfterInstall({ args: plan.args, exitCode: installer.status, electron: probe() });
}
run(plan);

function run(current) {
  if (current.reason) console.error(current.reason);
  const child =
    current.kind === 'electron'
      ? // The app folder, as `electron .` would: its package.json names the main entry
        // (dist/electron/main.js) and gives the app its name, so its data folder is Outpost's.
        spawn(current.binary, [appRoot, ...current.args], { stdio: 'inherit', env: electronEnv() })
      : spawn(process.execPath, [path.join(appRoot, 'dist/web.js'), ...current.args], { stdio: 'inherit' });
  const forward = (signal) => child.kill(signal);
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, forward);
  let failed = false;
  child.on('error', (error) => {
    // The OS would not run it (spawn errors); an exit after this is not the app's.
    failed = true;
    for (const signal of ['SIGINT', 'SIGTERM']) process.off(signal, forward);
    if (current.kind === 'electron') return run(planAfterSpawnError({ args: current.args, binary: current.binary, error }));
    console.error(`Browser mode could not start: ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    if (!failed) process.exit(signal ? 1 : (code ?? 0));
  });
}

/** The user's environment, less the one variable that would turn the app into a plain Node. */
function electronEnv() {
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  return env;
}
