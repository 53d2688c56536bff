import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { zipSync } from 'fflate';
import { tempDir } from './notebook';

/**
 * A throwaway copy of what `npm start` touches: the launcher scripts, a package.json, stand-ins
 * for dist/web.js and for Electron's binary (both record their arguments and environment), and
 * an `electron` package that is the real one (its install.js, @electron/get and zip extractor)
 * except for checksums.json, which names the stand-in release zip served from a loopback mirror.
 */
const repo = path.resolve(import.meta.dirname, '../..');
const realElectron = path.join(repo, 'node_modules/electron');
export const ELECTRON_VERSION: string = JSON.parse(fs.readFileSync(path.join(realElectron, 'package.json'), 'utf8')).version;
/** The release zip Electron's installer asks for on this machine. */
export const ZIP_NAME = `electron-v${ELECTRON_VERSION}-${process.platform}-${process.arch}.zip`;

export interface Record {
  mode: 'electron' | 'browser';
  argv: string[];
  env: { [name: string]: string | undefined };
}

export interface LauncherProject {
  root: string;
  electronDir: string;
  recordFile: string;
  /** Bytes of a zip shaped like Electron's release (an executable `electron` and `version`). */
  zip: Uint8Array;
}

/** A script that writes what it was started with to $OUTPOST_RECORD and exits with $STAND_IN_EXIT. */
function recorder(mode: Record['mode']): string {
  return `#!${process.execPath}
const fs = require('node:fs');
const env = { OUTPOST_MARKER: process.env.OUTPOST_MARKER, ELECTRON_RUN_AS_NODE: process.env.ELECTRON_RUN_AS_NODE };
fs.writeFileSync(process.env.OUTPOST_RECORD, JSON.stringify({ mode: ${JSON.stringify(mode)}, argv: process.argv.slice(2), env }));
process.exit(Number(process.env.STAND_IN_EXIT ?? 0));
`;
}

export function standInElectronZip(): Uint8Array {
  const executable = { os: 3, attrs: (0o100755 << 16) >>> 0 };
  return zipSync({
    electron: [new TextEncoder().encode(recorder('electron')), executable],
    version: new TextEncoder().encode(`v${ELECTRON_VERSION}`),
  });
}

export function makeLauncherProject(): LauncherProject {
  const root = tempDir('outpost-launcher-');
  fs.mkdirSync(path.join(root, 'scripts'));
  for (const file of ['start.mjs', 'launch-plan.mjs', 'electron-from-zip.mjs'])
    fs.copyFileSync(path.join(repo, 'scripts', file), path.join(root, 'scripts', file));
  fs.writeFileSync(
    path.join(root, 'package.json'),
    JSON.stringify({ name: 'outpost-fixture', type: 'module', main: 'dist/electron/main.js' }),
  );
  fs.mkdirSync(path.join(root, 'dist/electron'), { recursive: true });
  fs.writeFileSync(path.join(root, 'dist/electron/main.js'), '');
  // Browser mode's entry is plain Node: .cjs so the recorder's require works under "type": "module".
  fs.writeFileSync(path.join(root, 'dist/web.cjs'), recorder('browser'));
  fs.writeFileSync(path.join(root, 'dist/web.js'), "import './web.cjs';\n");

  const electronDir = path.join(root, 'node_modules/electron');
  fs.mkdirSync(electronDir, { recursive: true });
  for (const file of ['package.json', 'install.js', 'index.js', 'cli.js'])
    fs.copyFileSync(path.join(realElectron, file), path.join(electronDir, file));
  const zip = standInElectronZip();
  fs.writeFileSync(
    path.join(electronDir, 'checksums.json'),
    JSON.stringify({ [ZIP_NAME]: createHash('sha256').update(zip).digest('hex') }),
  );
  // The installer's own dependencies, as installed (symlinks resolve their dependencies in the repo).
  for (const dep of ['@electron/get', '@electron-internal/extract-zip']) {
    const link = path.join(root, 'node_modules', dep);
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(fs.realpathSync(path.join(repo, 'node_modules', dep)), link, 'dir');
  }
  return { root, electronDir, recordFile: path.join(root, 'record.json'), zip };
}

/** A folder holding a stand-in `electron` binary, for ELECTRON_OVERRIDE_DIST_PATH. */
export function standInElectronDist(): string {
  const dir = tempDir('outpost-electron-dist-');
  fs.writeFileSync(path.join(dir, 'electron'), recorder('electron'), { mode: 0o755 });
  return dir;
}

export function readRecord(project: LauncherProject): Record | null {
  return fs.existsSync(project.recordFile) ? JSON.parse(fs.readFileSync(project.recordFile, 'utf8')) : null;
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs one of the fixture's scripts with only the environment given (plus PATH, a private HOME and TMPDIR). */
export function runScript(project: LauncherProject, script: string, args: string[], env: { [name: string]: string }): Promise<Run> {
  const home = path.join(project.root, 'home');
  const tmp = path.join(project.root, 'tmp');
  fs.mkdirSync(home, { recursive: true });
  fs.mkdirSync(tmp, { recursive: true });
  const child = spawn(process.execPath, [path.join(project.root, 'scripts', script), ...args], {
    cwd: project.root,
    env: { PATH: process.env.PATH ?? '', HOME: home, TMPDIR: tmp, OUTPOST_RECORD: project.recordFile, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface Mirror {
  /** For ELECTRON_MIRROR: the release is served under v<version>/. */
  url: string;
  requests: string[];
  close(): Promise<void>;
}

/** An Electron release mirror on 127.0.0.1 serving one zip, recording every request. */
export async function startMirror(zip: Uint8Array): Promise<Mirror> {
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    requests.push(request.url ?? '');
    if (request.url === `/v${ELECTRON_VERSION}/${ZIP_NAME}`) response.end(zip);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A loopback URL where nothing listens: what an offline machine's download meets. */
export async function closedMirrorUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/`;
}
