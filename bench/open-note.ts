/**
 * Quick measurement of opening the 50,000-word note in Chromium (the `open_note_ui` part of
 * `npm run bench` alone, on a notebook that holds only that note):
 *
 *   node scripts/build.mjs && npx tsx bench/open-note.ts
 *
 * Env: OPENS (default 7); PROFILE=dir writes a CPU profile (.cpuprofile, Chrome DevTools format)
 * of each open there and prints the heaviest functions of the median open; TRACE=dir writes a
 * Chrome trace of each open there and prints where the renderer's main thread spent the open
 * (from the hash change to the marker shown, and on to the end of the next frame's paint), and
 * its thread (CPU) time, which a busy machine inflates far less than the wall-clock figures.
 * OUTPOST_RENDERER_DIR (read by the host) serves another renderer build, e.g. an unminified one.
 * COMPARE=name=dir,name=dir (renderer builds, e.g. from `npx vite build --outDir DIR`) with
 * ROUNDS (default 3): the builds take turns, a fresh browser context each, on one host and one
 * notebook, so a busy machine weighs on all of them alike; prints each build's opens.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, CDPSession } from 'playwright-core';
import { Notebook } from '../electron/notebook/notebook';
import { launchChromium } from '../test/helpers/chromium';
import { engagementSpecs, generateLongNote } from './corpus';
import { type BenchHost, startHost } from './host';
import { openNoteUi } from './open-note-ui';

const OPENS = Number(process.env.OPENS ?? 7);
const PROFILE = process.env.PROFILE ? path.resolve(process.env.PROFILE) : null;
const TRACE = process.env.TRACE ? path.resolve(process.env.TRACE) : null;
const COMPARE = (process.env.COMPARE ?? '')
  .split(',')
  .filter(Boolean)
  .map((entry) => {
    const [name, dir] = entry.split('=');
    if (!name || !dir) throw new Error(`COMPARE entries are name=dir: ${entry}`);
    return { name, dir: path.resolve(dir) };
  });
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const WORDS = 50_000;
const root = path.resolve(import.meta.dirname, '..');

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time per function (ms), heaviest first. */
function selfTimes(profile: Profile, top = 25): Array<{ ms: number; fn: string }> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)?.callFrame;
    if (!frame) return;
    const key = `${frame.functionName || '(anonymous)'} ${path.basename(frame.url)}:${frame.lineNumber + 1}:${frame.columnNumber + 1}`;
    totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([fn, ms]) => ({ ms: Math.round(ms * 10) / 10, fn }));
}

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: unknown };
}

/**
 * The renderer main thread during one open: the top-level tasks' events by name (ms), between the
 * `open-note:start` and `open-note:shown` marks, and the end of the first paint after `shown`.
 */
function traceSummary(events: TraceEvent[]) {
  const mark = (name: string) => events.find((e) => e.name === name && (e.ph === 'R' || e.ph === 'I' || e.ph === 'b' || e.ph === 'n'));
  const start = mark('open-note:start');
  const shown = mark('open-note:shown');
  if (!start || !shown) return null;
  const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && e.pid === start.pid);
  const onMain = events.filter((e) => e.pid === start.pid && e.tid === (main?.tid ?? start.tid) && e.ph === 'X');
  const paint = onMain.find((e) => e.ts > shown.ts && (e.name === 'Paint' || e.name === 'PaintImage' || e.name === 'Commit'));
  const byName = new Map<string, number>();
  const tasks = onMain.filter((e) => e.name === 'RunTask' && e.ts + (e.dur ?? 0) > start.ts && e.ts < shown.ts);
  let busy = 0;
  let cpu = 0;
  for (const task of tasks) {
    const from = Math.max(task.ts, start.ts);
    const to = Math.min(task.ts + (task.dur ?? 0), shown.ts);
    busy += to - from;
    // Thread time: what the task cost this thread, whatever else the machine was running.
    cpu += ((task as { tdur?: number }).tdur ?? 0) * ((to - from) / Math.max(1, task.dur ?? 0));
  }
  // Direct children of the tasks (by time nesting), where the time actually went.
  const inWindow = onMain.filter((e) => e.name !== 'RunTask' && e.ts >= start.ts && e.ts < shown.ts);
  const top: TraceEvent[] = [];
  for (const e of inWindow.sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0))) {
    const parent = top[top.length - 1];
    if (parent && e.ts < parent.ts + (parent.dur ?? 0)) continue;
    top.push(e);
  }
  for (const e of top) {
    const key = e.name === 'FunctionCall' || e.name === 'EvaluateScript' ? `${e.name}` : e.name;
    byName.set(key, (byName.get(key) ?? 0) + (e.dur ?? 0) / 1000);
  }
  // Layout and style anywhere in the window (they may sit inside a script's forced layout).
  const sum = (name: string) => inWindow.filter((e) => e.name === name).reduce((t, e) => t + (e.dur ?? 0) / 1000, 0);
  const ms = (us: number) => Math.round(us / 100) / 10;
  return {
    open_ms: ms(shown.ts - start.ts),
    main_thread_busy_ms: ms(busy),
    main_thread_cpu_ms: ms(cpu),
    painted_ms: paint ? ms(paint.ts + (paint.dur ?? 0) - start.ts) : null,
    layout_ms: Math.round(sum('Layout') * 10) / 10,
    style_ms: Math.round(sum('UpdateLayoutTree') * 10) / 10,
    gc_ms: Math.round((sum('MinorGC') + sum('MajorGC') + sum('V8.GC_SCAVENGER') + sum('BlinkGC.AtomicPhase')) * 10) / 10,
    top_level_ms: Object.fromEntries([...byName].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, Math.round(v * 10) / 10])),
  };
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-open-note-'));
const dir = path.join(work, 'notebook');
let host: BenchHost | null = null;
let browser: Browser | null = null;
try {
  if (!fs.existsSync(path.join(root, 'dist/web.js'))) throw new Error('dist/web.js is missing: run node scripts/build.mjs first');
  const spec = engagementSpecs(1)[0];
  if (!spec) throw new Error('no engagement spec');
  const nb = await Notebook.open(dir, { kind: 'bench' });
  let engagementId: string;
  let noteId: string;
  try {
    const engagement = await nb.engagements.create({
      client: spec.client,
      codename: spec.codename,
      site: spec.site,
      ceiling: 'SECRET',
      status: 'active',
    });
    engagementId = engagement.id;
    const long = generateLongNote(spec, WORDS);
    await nb.notes.createMany([
      {
        engagementId,
        type: long.type,
        title: long.title,
        tags: long.tags,
        classification: long.classification,
        markdown: long.markdown,
      },
    ]);
    noteId = await nb.notes.resolve(long.title, engagementId);
  } finally {
    await nb.close();
  }

  if (COMPARE.length) {
    // The host serves whatever this link points at; it reads the files on every request.
    const link = path.join(work, 'renderer');
    process.env.OUTPOST_RENDERER_DIR = link;
    host = await startHost(dir);
    browser = await launchChromium();
    const runs = new Map<string, { first: number[]; warm: number[] }>(COMPARE.map((c) => [c.name, { first: [], warm: [] }]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const variant of COMPARE) {
        fs.rmSync(link, { force: true });
        fs.symlinkSync(variant.dir, link);
        const result = await openNoteUi(host, browser, engagementId, noteId, { opens: OPENS });
        if (result.page_errors) throw new Error(`${variant.name}: ${result.first_page_error}`);
        const mine = runs.get(variant.name) as { first: number[]; warm: number[] };
        mine.first.push(result.runs_ms[0] as number);
        mine.warm.push(...result.runs_ms.slice(1));
        process.stdout.write(`${JSON.stringify({ round, variant: variant.name, median_ms: result.median_ms, runs_ms: result.runs_ms })}\n`);
      }
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    for (const [name, { first, warm }] of runs) {
      process.stdout.write(
        `${JSON.stringify({ variant: name, contexts: first.length, first_median_ms: median(first), later_opens_median_ms: median(warm), all_median_ms: median([...first, ...warm]) })}\n`,
      );
    }
  } else {
    host = await startHost(dir);
    browser = await launchChromium();
    const profiles: Profile[] = [];
    let cdp: CDPSession | null = null;
    if (PROFILE) fs.mkdirSync(PROFILE, { recursive: true });
    if (TRACE) fs.mkdirSync(TRACE, { recursive: true });
    const traces: Array<ReturnType<typeof traceSummary>> = [];
    const tracer = browser;
    const result = await openNoteUi(host, browser, engagementId, noteId, {
      opens: OPENS,
      around: TRACE
        ? {
            before: async (page) => {
              await tracer.startTracing(page, {
                categories: ['devtools.timeline', 'blink.user_timing', 'v8', 'disabled-by-default-devtools.timeline', 'toplevel'],
              });
            },
            after: async (_page, run) => {
              const buffer = await tracer.stopTracing();
              const file = path.join(TRACE, `open-${run}.json`);
              fs.writeFileSync(file, buffer);
              const parsed = JSON.parse(buffer.toString('utf8')) as { traceEvents: TraceEvent[] } | TraceEvent[];
              traces.push(traceSummary(Array.isArray(parsed) ? parsed : parsed.traceEvents));
            },
          }
        : PROFILE
          ? {
              before: async (page) => {
                cdp ??= await page.context().newCDPSession(page);
                await cdp.send('Profiler.enable');
                await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
                await cdp.send('Profiler.start');
              },
              after: async (_page, run) => {
                if (!cdp) return;
                const { profile } = await cdp.send('Profiler.stop');
                profiles.push(profile as unknown as Profile);
                fs.writeFileSync(path.join(PROFILE, `open-${run}.cpuprofile`), JSON.stringify(profile));
              },
            }
          : undefined,
    });
    process.stdout.write(`${JSON.stringify({ bench: 'open_note_ui', words: WORDS, ...result, target_ms: 300 })}\n`);
    traces.forEach((t, i) => {
      process.stdout.write(`trace ${i}: ${JSON.stringify(t)}\n`);
    });
    if (profiles.length) {
      const order = result.runs_ms.map((ms, i) => ({ ms, i })).sort((a, b) => a.ms - b.ms);
      const mid = order[Math.floor(order.length / 2)] as { ms: number; i: number };
      process.stdout.write(`self time of open ${mid.i} (${mid.ms} ms), profiles in ${PROFILE}:\n`);
      for (const row of selfTimes(profiles[mid.i] as Profile)) process.stdout.write(`  ${String(row.ms).padStart(7)} ms  ${row.fn}\n`);
    }
  }
} finally {
  await browser?.close().catch(() => {});
  await host?.stop().catch(() => {});
  fs.rmSync(work, { recursive: true, force: true });
}
