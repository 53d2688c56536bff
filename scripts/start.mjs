// `npm start`: the Electron app, or browser mode where the Electron binary is not installed
// (e.g. after ELECTRON_SKIP_BINARY_DOWNLOAD=1). Never imports `electron` from Node: with the
// binary missing, that would try to download it.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);

function electronBinary() {
  try {
    const pkg = createRequire(import.meta.url).resolve('electron/package.json');
    const dir = path.dirname(pkg);
    const pathFile = path.join(dir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const binary = path.join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
if (!binary) console.log('The Electron binary is not installed here; starting browser mode instead.');
const child = binary
  ? spawn(binary, [path.join(root, 'dist/electron/main.js'), ...args], { stdio: 'inherit' })
  : spawn(process.execPath, [path.join(root, 'dist/web.js'), ...args], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
