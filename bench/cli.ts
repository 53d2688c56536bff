/**
 * `npm run bench`: the CLI as whole processes, the way a shell loop runs it.
 *
 * - host: `outpost notes add`, `notes search`, `engagements list` while the browser host holds the
 *   notebook (the CLI sends its calls over the command channel; no PGlite in the CLI process).
 * - direct (the baseline, same run): the same commands with nobody holding the notebook (each
 *   process opens PGlite itself), which was the only mode before the command channel.
 *
 * Each figure: BENCH_CLI_RUNS runs (default 20 through the host, 5 direct), min / p50 / p95 / max of
 * the wall time from spawn to exit. Target: p50 ≤ 250 ms for notes add and notes search through the host.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Notebook } from '../electron/notebook/notebook';
import { engagementSpecs, generateNote } from './corpus';
import { startHost } from './host';

const HOST_RUNS = Number(process.env.BENCH_CLI_RUNS ?? 20);
const DIRECT_RUNS = Math.max(3, Math.round(HOST_RUNS / 4));
const NOTES = Number(process.env.BENCH_CLI_NOTES ?? 1000);
const bin = path.resolve(import.meta.dirname, '..', 'bin/outpost.js');
const SPECS = engagementSpecs(5);
const CODENAME = SPECS[0]?.codename as string;

const emit = (record: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(record)}\n`);
const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
  const round = (n: number) => Math.round(n);
  return { min_ms: round(sorted[0] as number), p50_ms: round(at(0.5)), p95_ms: round(at(0.95)), max_ms: round(sorted.at(-1) as number) };
};

function run(dir: string, args: string[], stdin?: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [bin, '--notebook', dir, ...args], { timeout: 60_000 }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`outpost ${args.join(' ')}: ${stderr || error.message}`));
      else resolve(performance.now() - started);
    });
    child.stdin?.end(stdin ?? '');
  });
}

async function seed(dir: string): Promise<void> {
  const notebook = await Notebook.open(dir, { kind: 'bench seed' });
  try {
    const ids: string[] = [];
    for (const spec of SPECS) ids.push((await notebook.engagements.create({ client: spec.client, codename: spec.codename })).id);
    for (let i = 0; i < NOTES; i++) {
      const note = generateNote(i, SPECS);
      await notebook.notes.create({
        engagementId: ids[note.engagement] as string,
        type: note.type,
        title: note.title,
        markdown: note.markdown,
      });
    }
    await notebook.docs.flush();
  } finally {
    await notebook.close();
  }
}

const COMMANDS: Array<{ name: string; args: (i: number) => string[]; stdin?: string }> = [
  {
    name: 'notes add',
    args: (i) => ['notes', 'add', '--engagement', CODENAME, '--type', 'field-log', '--title', `Bench ${i}`, '--body-file', '-'],
    stdin: 'Wave 3 released late; ODBC timeout on the pick API.\n',
  },
  { name: 'notes search', args: () => ['notes', 'search', 'odbc timeout', '--limit', '20'] },
  { name: 'engagements list', args: () => ['engagements', 'list', '--json'] },
];

async function measure(dir: string, mode: 'host' | 'direct', runs: number): Promise<void> {
  for (const command of COMMANDS) {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) times.push(await run(dir, command.args(i), command.stdin));
    emit({ bench: 'cli', mode, command: command.name, runs, notes: NOTES, ...stats(times), load: os.loadavg()[0]?.toFixed(2) });
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-bench-cli-'));
try {
  await seed(dir);
  await measure(dir, 'direct', DIRECT_RUNS);
  const host = await startHost(dir);
  try {
    await run(dir, ['engagements', 'list']); // the first call warms the host's caches, as a running app's are
    await measure(dir, 'host', HOST_RUNS);
  } finally {
    await host.stop();
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
