/**
 * `npm run bench`: figures for the walking skeleton, printed as JSON lines.
 *
 * - cold_open: process start → API ready (the host prints its URL) for a notebook of 200
 *   engagements, and, as the baseline in the same run, for an empty notebook.
 * - cli_list: a whole `outpost engagements list --json` process on the 200-engagement notebook.
 * - list_query: `engagements.list` over the host's WebSocket (what the sidebar does), p50/p95,
 *   and the same query in-process on the projection.
 * - memory: the host's RSS after opening, and its peak after the list queries.
 */

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import WebSocket from 'ws';
import { Notebook } from '../electron/notebook/notebook';
import { signIn } from '../test/helpers/host-session';
import { CLIENTS, SITES } from './corpus';
import { memoryOf, startHost } from './host';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const ENGAGEMENTS = 200;
const root = path.resolve(import.meta.dirname, '..');

const emit = (record: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(record)}\n`);
const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    min_ms: round(sorted[0] as number),
    p50_ms: round(at(0.5)),
    p95_ms: round(at(0.95)),
    max_ms: round(sorted[sorted.length - 1] as number),
  };
};

const STATUSES = ['planned', 'active', 'stabilizing', 'closed'] as const;

async function seed(dir: string, count: number): Promise<void> {
  const notebook = await Notebook.open(dir, { kind: 'bench seed' });
  try {
    for (let i = 0; i < count; i++) {
      const month = String((i % 12) + 1).padStart(2, '0');
      await notebook.engagements.create({
        client: CLIENTS[i % CLIENTS.length] as string,
        codename: `OP-${String(i).padStart(4, '0')}`,
        site: SITES[i % SITES.length] as string,
        ceiling: ['UNCLASSIFIED', 'CUI', 'CONFIDENTIAL', 'SECRET'][i % 4] as string,
        status: STATUSES[i % 4],
        startDate: `2026-${month}-01`,
        endDate: `2026-${month}-28`,
        summary: `Deploy demand forecasting against the legacy ERP at ${SITES[i % SITES.length]}. `.repeat(8),
        team: [
          { name: `Engineer ${i}`, role: 'FDE' },
          { name: `Lead ${i % 7}`, role: 'Lead' },
        ],
      });
    }
  } finally {
    await notebook.close();
  }
}

async function coldOpen(dir: string, label: string, engagements: number): Promise<void> {
  const times: number[] = [];
  let memory = { rss_mb: 0, peak_rss_mb: 0 };
  for (let i = 0; i < RUNS; i++) {
    const host = await startHost(dir);
    times.push(host.readyMs);
    memory = memoryOf(host.pid);
    await host.stop();
  }
  emit({ bench: 'cold_open', notebook: label, engagements, runs: RUNS, ...stats(times), ...memory });
}

async function listOverSocket(dir: string): Promise<void> {
  const host = await startHost(dir);
  const { origin, cookie } = await signIn(host.url);
  const socket = new WebSocket(`${origin.replace('http', 'ws')}/api`, { origin, headers: { cookie } });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  let nextId = 1;
  const call = (name: string, request: unknown) =>
    new Promise<{ ok: boolean; value?: { engagements: unknown[] } }>((resolve) => {
      const id = nextId++;
      const onMessage = (data: WebSocket.RawData) => {
        const frame = JSON.parse(String(data));
        if (frame.id !== id) return;
        socket.off('message', onMessage);
        resolve(frame);
      };
      socket.on('message', onMessage);
      socket.send(JSON.stringify({ id, name, request }));
    });
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < 220; i++) {
    const start = performance.now();
    const result = await call('engagements.list', { includeArchived: true, sort: i % 2 ? 'codename' : 'updated' });
    if (i >= 20) times.push(performance.now() - start);
    rows = result.value?.engagements.length ?? 0;
  }
  emit({ bench: 'list_query', via: 'websocket', engagements: rows, queries: times.length, ...stats(times), ...memoryOf(host.pid) });
  socket.close();
  await host.stop();
}

async function listInProcess(dir: string): Promise<void> {
  const notebook = await Notebook.open(dir, { kind: 'bench' });
  try {
    const times: number[] = [];
    for (let i = 0; i < 220; i++) {
      const start = performance.now();
      await notebook.engagements.list({ includeArchived: true, sort: 'updated' });
      if (i >= 20) times.push(performance.now() - start);
    }
    emit({ bench: 'list_query', via: 'in-process', engagements: ENGAGEMENTS, queries: times.length, ...stats(times) });
  } finally {
    await notebook.close();
  }
}

async function cliList(dir: string): Promise<void> {
  const run = promisify(execFile);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await run(process.execPath, [path.join(root, 'bin/outpost.js'), '--notebook', dir, 'engagements', 'list', '--json']);
    times.push(performance.now() - start);
  }
  emit({ bench: 'cli_list', engagements: ENGAGEMENTS, runs: RUNS, ...stats(times) });
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-bench-'));
try {
  const empty = path.join(work, 'empty');
  const full = path.join(work, 'full');
  await seed(empty, 0);
  const seedStart = performance.now();
  await seed(full, ENGAGEMENTS);
  emit({ bench: 'seed', engagements: ENGAGEMENTS, total_ms: Math.round(performance.now() - seedStart) });
  await coldOpen(empty, 'empty (baseline)', 0);
  await coldOpen(full, '200 engagements', ENGAGEMENTS);
  await listOverSocket(full);
  await listInProcess(full);
  await cliList(full);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
