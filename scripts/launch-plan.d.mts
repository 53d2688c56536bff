// Types for launch-plan.mjs (run by plain Node, imported by the tests).
export interface ElectronPackage {
  dir: string;
  version: string;
}
export interface ElectronProbe {
  binary: string | null;
  expected: string | null;
}
export type LaunchPlan =
  | { kind: 'electron'; binary: string; args: string[] }
  | { kind: 'install'; args: string[] }
  | { kind: 'browser'; args: string[]; reason: string | null };
type Env = Record<string, string | undefined>;
export function findElectronPackage(appRoot: string): ElectronPackage | null;
export function probeElectronBinary(electronDir: string, env: Env): ElectronProbe;
export function planLaunch(facts: {
  args: string[];
  env: Env;
  platform: string;
  electron: ({ version: string } & ElectronProbe) | null;
}): LaunchPlan;
export function planAfterInstall(facts: {
  args: string[];
  exitCode: number | null;
  electron: { version: string } & ElectronProbe;
}): LaunchPlan;
export function planAfterSpawnError(facts: { args: string[]; binary: string; error: { code?: string; message: string } }): LaunchPlan;
