import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * electron-builder's own code, reached the way it reaches its helpers (so the versions are the
 * ones `npm run dist` uses): its config loader and schema check, its build, @electron/asar and
 * @electron/fuses. Packaging normally needs Electron's binary; a stand-in dist with a fuse wire
 * lets the whole pipeline run here (files, asar, unpacking, fuses), short of the installers.
 */
export const repoRoot = path.resolve(import.meta.dirname, '../..');
const fromRepo = createRequire(path.join(repoRoot, 'package.json'));
const fromBuilder = createRequire(fromRepo.resolve('app-builder-lib/package.json'));

export const builderConfig: {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: unknown): Promise<BuilderConfig>;
  validateConfiguration(config: BuilderConfig, debugLogger: unknown): Promise<void>;
} = fromBuilder('./out/util/config/config.js');
const { DebugLogger } = fromBuilder('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
export const debugLogger = () => new DebugLogger(false);

export const asar: {
  listPackage(archive: string, options: { isPack: boolean }): string[];
  statFile(archive: string, file: string, followLinks?: boolean): { files?: unknown; unpacked?: boolean; size?: number };
  extractFile(archive: string, file: string): Buffer;
  extractAll(archive: string, dest: string): void;
} = fromBuilder('@electron/asar');

const fuses = fromBuilder('@electron/fuses') as {
  getCurrentFuseWire(binary: string): Promise<Record<string, number | string>>;
  FuseV1Options: Record<string, number | string>;
};
const { SENTINEL } = fromBuilder('@electron/fuses/dist/constants.js') as { SENTINEL: string };

const electronBuilder = fromRepo('electron-builder') as {
  build(options: unknown): Promise<string[]>;
  Platform: { LINUX: { createTarget(type: string, ...archs: number[]): unknown } };
  Arch: Record<string, number>;
};

export interface BuilderConfig {
  appId?: string;
  productName?: string;
  files?: string[];
  asar?: boolean;
  asarUnpack?: string[];
  extraMetadata?: Record<string, unknown>;
  electronFuses?: Record<string, boolean>;
  linux?: { target?: string[] };
  mac?: { target?: string | string[] };
  win?: { target?: string | string[] };
  publish?: unknown;
}

/** Electron's defaults (RunAsNode, cookie encryption, NODE_OPTIONS, inspect, asar integrity, asar only, V8 snapshot, file://). */
const ELECTRON_DEFAULT_WIRE = '10110001';

/** An unpacked "Electron" whose binary is a shell script carrying Electron's fuse wire. */
export function standInElectronDist(dir: string): string {
  fs.mkdirSync(path.join(dir, 'resources'), { recursive: true });
  const binary = Buffer.concat([
    Buffer.from('#!/bin/sh\nexit 0\n# '),
    Buffer.from(SENTINEL),
    Buffer.from([1, ELECTRON_DEFAULT_WIRE.length]),
    Buffer.from(ELECTRON_DEFAULT_WIRE),
    Buffer.from('\n'),
  ]);
  fs.writeFileSync(path.join(dir, 'electron'), binary, { mode: 0o755 });
  return dir;
}

/** The fuses of a packaged binary, by name: true (on), false (off). */
export async function readFuses(binary: string): Promise<Record<string, boolean>> {
  const wire = await fuses.getCurrentFuseWire(binary);
  const byName: Record<string, boolean> = {};
  for (const [index, state] of Object.entries(wire)) {
    if (index === 'version') continue;
    byName[String(fuses.FuseV1Options[index])] = state === '1'.charCodeAt(0);
  }
  return byName;
}

/**
 * `npm run dist` for Linux's unpacked target, with this project's electron-builder.yml as is,
 * except: the stand-in Electron instead of a download, and a temporary output folder.
 */
export async function packLinuxDir(electronDist: string, output: string): Promise<string> {
  await electronBuilder.build({
    projectDir: repoRoot,
    targets: electronBuilder.Platform.LINUX.createTarget('dir', electronBuilder.Arch.x64 as number),
    config: { electronDist, directories: { output } },
    publish: 'never',
  });
  return path.join(output, 'linux-unpacked');
}
