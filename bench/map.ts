/**
 * Environment maps at scale: a generated map of BENCH_MAP_SYSTEMS systems (default 1,000) and
 * three times as many integrations across 6 zones. Prints JSON lines:
 * - map_seed: writing the map into an engagement doc through the MapService (one change);
 * - map_layout: auto-layout with elkjs in Node (layered, left to right), a first (cold) and a second run;
 * - map_merge: two replicas diverge (one edits 500 systems' vendor and moves 300, the other sets
 *   500 statuses and adds 200 integrations), then exchange their missing updates both ways;
 * - map_first_render: in Chromium against browser mode, from the hash change to the Map tab (from
 *   the engagement's Overview) until the first system box is visible on the canvas (read + first
 *   xyflow render; the replica load too when the Overview's replica is not reused), 3 runs; and
 *   from the start of a page reload on the Map tab (app start + replica load from IndexedDB and
 *   the host + read + render; an upper bound: the first check runs once the page's script can);
 * - map_pan / map_zoom: requestAnimationFrame intervals while dragging the canvas and while
 *   zooming with the wheel, at the fitted view (as far out as the editor's minZoom allows: the
 *   most systems and integrations in view) and panning at zoom 1 (the drag starts on empty
 *   canvas, not on a system);
 * - map_drag: the same intervals while dragging one system at zoom 1 (its integrations follow),
 *   centred in the view first and moved within it, as a person drags a box into place; and, as
 *   map_drag measured until 2026-12-02, right after the pan at zoom 1, which leaves the system off
 *   centre: the same path then takes the pointer into the canvas's edge band, where React Flow
 *   pans the map under the box at every step.
 * BENCH_MAP_SYSTEMS=200 for a quick run; BENCH_MAP_BROWSER_ONLY=1 skips the layout and merge timings.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import * as Y from 'yjs';
import { layoutMap } from '../electron/map/layout';
import { MapService } from '../electron/map/map-service';
import { Notebook } from '../electron/notebook/notebook';
import { newId } from '../shared/ids';
import { applyMapChanges, readMap } from '../shared/map/doc';
import { MAP_STATUSES, type MapChange, SYSTEM_KINDS, ZONE_KINDS } from '../shared/map/model';
import { launchChromium } from '../test/helpers/chromium';
import { startHost } from './host';

const SYSTEMS = Number(process.env.BENCH_MAP_SYSTEMS ?? 1_000);
const INTEGRATIONS = SYSTEMS * 3;
const emit = (record: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(record)}\n`);
const round = (n: number) => Math.round(n * 10) / 10;
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))] as number;
};

/** A seeded pseudo-random sequence (mulberry32), so every run draws the same map. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Systems in tiers (data mostly flows from lower to higher tiers, some back: cycles), zones by tier. */
function generateMap(): MapChange[] {
  const rand = random(42);
  const zones = ZONE_KINDS.map((kind) => ({ id: newId(), name: `${kind} zone`, kind }));
  const systems = Array.from({ length: SYSTEMS }, (_, i) => ({ id: newId(), tier: Math.floor((i / SYSTEMS) * 8) }));
  const changes: MapChange[] = zones.map((zone) => ({ op: 'addZone', zone }));
  systems.forEach((s, i) => {
    changes.push({
      op: 'addSystem',
      system: {
        id: s.id,
        name: `${SYSTEM_KINDS[i % SYSTEM_KINDS.length]}-${i}`,
        kind: SYSTEM_KINDS[i % SYSTEM_KINDS.length],
        vendor: ['SAP', 'Oracle', 'Manhattan', 'Siemens', 'in-house'][i % 5] as string,
        zone: (zones[Math.min(zones.length - 1, Math.floor(s.tier * 0.75))] as { id: string }).id,
        status: MAP_STATUSES[i % 7 === 0 ? 1 : i % 11 === 0 ? 2 : 0],
      },
    });
  });
  for (let i = 0; i < INTEGRATIONS; i++) {
    const from = systems[Math.floor(rand() * SYSTEMS)] as { id: string; tier: number };
    const forward = rand() < 0.9;
    const candidates = systems.filter((s) => (forward ? s.tier === from.tier + 1 : s.tier < from.tier));
    const to = (candidates.length ? candidates : systems)[Math.floor(rand() * (candidates.length || SYSTEMS))] as { id: string };
    if (to.id === from.id) continue;
    changes.push({
      op: 'addIntegration',
      integration: {
        from: from.id,
        to: to.id,
        protocol: ['REST', 'SFTP/file', 'ODBC/JDBC', 'Kafka', 'OPC-UA'][i % 5] as string,
        format: ['JSON', 'CSV', 'fixed-width', 'XML'][i % 4] as string,
      },
    });
  }
  return changes;
}

async function timeLayout(nb: Notebook, engagementId: string) {
  const { map } = await new MapService(nb.docs, nb.engagements).read(engagementId);
  const runs: number[] = [];
  for (let i = 0; i < 2; i++) {
    const started = performance.now();
    const positions = await layoutMap(map);
    runs.push(performance.now() - started);
    if (positions.length !== map.systems.length) throw new Error('layout lost systems');
  }
  emit({
    bench: 'map_layout',
    systems: map.systems.length,
    integrations: map.integrations.length,
    first_ms: Math.round(runs[0] as number),
    second_ms: Math.round(runs[1] as number),
  });
}

function timeMerge(doc: Y.Doc) {
  const a = new Y.Doc();
  Y.applyUpdate(a, Y.encodeStateAsUpdate(doc));
  const b = new Y.Doc();
  Y.applyUpdate(b, Y.encodeStateAsUpdate(doc));
  const { map } = readMap(a);
  const ids = map.systems.map((s) => s.id);
  const changesA: MapChange[] = ids.slice(0, 500).map((id, i) => ({ op: 'updateSystem', id, patch: { vendor: `vendor ${i}` } }));
  changesA.push({ op: 'moveSystems', positions: ids.slice(0, 300).map((id, i) => ({ id, x: i * 10, y: i * 5 })) });
  const changesB: MapChange[] = ids.slice(0, 500).map((id) => ({ op: 'updateSystem', id, patch: { status: 'degraded' } }));
  for (let i = 0; i < 200; i++) {
    changesB.push({
      op: 'addIntegration',
      integration: { from: ids[i] as string, to: ids[(i * 13 + 7) % ids.length] as string, protocol: 'MQTT' },
    });
  }
  // Many small transactions, as editing does.
  for (const change of changesA) applyMapChanges(a, [change]);
  for (const change of changesB) applyMapChanges(b, [change]);
  const started = performance.now();
  const toB = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b));
  const toA = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
  Y.applyUpdate(b, toB);
  Y.applyUpdate(a, toA);
  const mergeMs = performance.now() - started;
  const readStarted = performance.now();
  const merged = readMap(a).map;
  const readMs = performance.now() - readStarted;
  const first = merged.systems.find((s) => s.id === ids[0]);
  const converged =
    JSON.stringify(merged) === JSON.stringify(readMap(b).map) && first?.vendor === 'vendor 0' && first.status === 'degraded';
  if (!converged) throw new Error('the replicas did not converge with both edits');
  emit({
    bench: 'map_merge',
    systems: merged.systems.length,
    integrations: merged.integrations.length,
    edits_each: [changesA.length, changesB.length],
    update_bytes: toA.length + toB.length,
    merge_ms: round(mergeMs),
    read_after_merge_ms: round(readMs),
    both_edits_kept: converged,
  });
}

// Page scripts are strings: tsx would wrap named functions with a helper the page does not have.
const START_FRAMES = `(() => {
  window.__frames = [];
  window.__recording = true;
  let last = performance.now();
  function tick(now) {
    window.__frames.push(now - last);
    last = now;
    if (window.__recording) requestAnimationFrame(tick);
  }
  requestAnimationFrame(function (now) { last = now; requestAnimationFrame(tick); });
})()`;
const STOP_FRAMES = '(() => { window.__recording = false; return window.__frames; })()';

/** Resolves with the ms from setting the hash to the map until the first system box is visible. */
const timeMapRender = (engagementId: string) => `new Promise(function (resolve, reject) {
  const started = performance.now();
  location.hash = ${JSON.stringify(`#/engagements/${engagementId}/map`)};
  function check() {
    const node = document.querySelector('.react-flow__node-system');
    if (node && getComputedStyle(node).visibility !== 'hidden' && node.getBoundingClientRect().width > 0) resolve(performance.now() - started);
    else if (performance.now() - started > 60000) reject(new Error('the map did not render within 60 s'));
    else requestAnimationFrame(check);
  }
  requestAnimationFrame(check);
})`;

/** Resolves with the ms from the start of the page's navigation until the first system box is visible. */
const FIRST_BOX_SINCE_NAVIGATION = `new Promise(function (resolve, reject) {
  function check() {
    const node = document.querySelector('.react-flow__node-system');
    if (node && getComputedStyle(node).visibility !== 'hidden' && node.getBoundingClientRect().width > 0) resolve(performance.now());
    else if (performance.now() > 60000) reject(new Error('the map did not render within 60 s'));
    else requestAnimationFrame(check);
  }
  check();
})`;

/** The point nearest (x, y) where a press lands on the empty canvas (not on a system or an edge). */
const FREE_POINT = (x: number, y: number) => `(() => {
  for (let r = 0; r < 400; r += 6)
    for (let a = 0; a < 16; a++) {
      const px = ${x} + Math.cos((a * Math.PI) / 8) * r;
      const py = ${y} + Math.sin((a * Math.PI) / 8) * r;
      const el = document.elementFromPoint(px, py);
      if (el && el.classList.contains('react-flow__pane')) return [px, py];
    }
  throw new Error('no empty spot on the canvas');
})()`;

/** Systems whose box is at least partly inside the canvas. */
const SYSTEMS_IN_VIEW = `(() => {
  const c = document.querySelector('.react-flow').getBoundingClientRect();
  return [...document.querySelectorAll('.react-flow__node-system')].filter((n) => {
    const r = n.getBoundingClientRect();
    return r.right > c.left && r.left < c.right && r.bottom > c.top && r.top < c.bottom;
  }).length;
})()`;

/** Resolves once the viewport's transform has not changed for 300 ms (a centring animation is over). */
const VIEW_SETTLED = `new Promise(function (resolve) {
  const viewport = document.querySelector('.react-flow__viewport');
  let last = viewport.style.transform;
  let since = performance.now();
  function check() {
    const now = viewport.style.transform;
    if (now !== last) { last = now; since = performance.now(); }
    if (performance.now() - since > 300) resolve(true);
    else requestAnimationFrame(check);
  }
  requestAnimationFrame(check);
})`;

/** Collects requestAnimationFrame intervals while `action` runs. */
async function frameTimes(page: Page, action: () => Promise<void>): Promise<number[]> {
  await page.evaluate(START_FRAMES);
  await action();
  return (await page.evaluate(STOP_FRAMES)) as number[];
}

function frameFigures(bench: string, frames: number[], extra: Record<string, unknown>) {
  const mean = frames.reduce((a, b) => a + b, 0) / Math.max(1, frames.length);
  emit({
    bench,
    ...extra,
    frames: frames.length,
    p50_ms: round(percentile(frames, 0.5)),
    p95_ms: round(percentile(frames, 0.95)),
    max_ms: round(Math.max(...frames)),
    mean_fps: round(1000 / mean),
  });
}

async function browserFigures(dir: string, engagementId: string) {
  const host = await startHost(dir);
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${host.url}#/engagements/${engagementId}`);
    await page.getByRole('heading', { level: 2 }).first().waitFor({ timeout: 60_000 });
    const renders: number[] = [];
    for (let run = 0; run < 3; run++) {
      await page.evaluate(`location.hash = ${JSON.stringify(`#/engagements/${engagementId}`)}`);
      await page.getByRole('region', { name: 'Overview' }).waitFor({ timeout: 60_000 });
      renders.push((await page.evaluate(timeMapRender(engagementId))) as number);
    }
    const rendered = await page.locator('.react-flow__node-system').count();
    emit({
      bench: 'map_first_render',
      systems: SYSTEMS,
      from: 'the engagement’s Overview tab (its replica is open)',
      first_ms: Math.round(renders[0] as number),
      median_ms: Math.round(percentile(renders, 0.5)),
      runs_ms: renders.map(Math.round),
      nodes_in_dom: rendered,
      target_ms: 1000,
    });
    // Reloading the page on the Map tab: the app starts and loads the engagement's replica from
    // IndexedDB and the host before the map can show (nothing is open to reuse).
    await page.reload({ waitUntil: 'commit' });
    const reloadMs = (await page.evaluate(FIRST_BOX_SINCE_NAVIGATION)) as number;
    emit({ bench: 'map_first_render', systems: SYSTEMS, from: 'a page reload on the Map tab', ms: Math.round(reloadMs), target_ms: 1000 });
    const pane = page.locator('.react-flow__pane');
    const box = await pane.boundingBox();
    if (!box) throw new Error('no canvas');
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    /** Presses at (x, y) and moves along the same path each time (±250 px, ±150 px). */
    const dragFrom = async (x: number, y: number) => {
      await page.mouse.move(x, y);
      await page.mouse.down();
      for (let i = 0; i < 90; i++) await page.mouse.move(x + Math.sin(i / 10) * 250, y + Math.cos(i / 14) * 150);
      await page.mouse.up();
    };
    const pan = async () => {
      const [x, y] = (await page.evaluate(FREE_POINT(cx, cy))) as [number, number];
      await dragFrom(x, y);
    };
    const inView = (await page.evaluate(SYSTEMS_IN_VIEW)) as number;
    frameFigures('map_pan', await frameTimes(page, pan), {
      systems: SYSTEMS,
      view: 'fitted (as far out as minZoom allows)',
      systems_in_view: inView,
      target_fps: 30,
    });
    const zoom = async () => {
      await page.mouse.move(cx, cy);
      for (let i = 0; i < 40; i++) await page.mouse.wheel(0, i < 20 ? -120 : 120);
    };
    frameFigures('map_zoom', await frameTimes(page, zoom), { systems: SYSTEMS, view: 'fitted, wheel in and out', target_fps: 30 });
    // Zoomed in to 1:1 on one system.
    await page.getByLabel('Find a system').fill('database-1');
    await page.getByRole('button', { name: 'Go' }).click();
    await page.getByText('Showing database-1').waitFor();
    frameFigures('map_pan', await frameTimes(page, pan), { systems: SYSTEMS, view: 'zoom 1', target_fps: 30 });
    // Dragging a system at zoom 1, centred again first (the pan above moved it off-centre).
    const centred = async () => {
      await page.getByRole('button', { name: 'Go' }).click();
      await page.evaluate(VIEW_SETTLED);
      const system = await page.getByRole('group', { name: 'System database-1', exact: true }).boundingBox();
      if (!system) throw new Error('database-1 is not on the canvas');
      return { x: system.x + system.width / 2, y: system.y + system.height / 2 };
    };
    const start = await centred();
    // React Flow pans the map while the pointer is within 40 px of the canvas's edge: the path
    // (±250 px, ±150 px) must stay clear of that band for a drag within the view.
    // (The canvas may reach below the 900 px window: the pointer stays in the window.)
    const bottom = Math.min(box.y + box.height, 900);
    const reach = { x: Math.min(start.x - box.x, box.x + box.width - start.x), y: Math.min(start.y - box.y, bottom - start.y) };
    if (reach.x < 250 + 40 || reach.y < 150 + 40) throw new Error(`the canvas is too small for the drag path: ${JSON.stringify(reach)}`);
    frameFigures('map_drag', await frameTimes(page, () => dragFrom(start.x, start.y)), {
      systems: SYSTEMS,
      view: 'zoom 1, one system dragged within the view',
      target_fps: 30,
    });
    // The drag map_drag measured until then: right after the pan at zoom 1 (the same pan as above,
    // not timed), which leaves the system 125 px right of and 150 px below the centre.
    await centred();
    await pan();
    const moved = await page.getByRole('group', { name: 'System database-1', exact: true }).boundingBox();
    if (!moved) throw new Error('database-1 is not on the canvas');
    const edgeDrag = () => dragFrom(moved.x + moved.width / 2, moved.y + moved.height / 2);
    frameFigures('map_drag', await frameTimes(page, edgeDrag), {
      systems: SYSTEMS,
      view: 'zoom 1, one system dragged into the canvas edge band right after a pan (the map pans under it)',
      target_fps: 30,
    });
    if (errors.length) emit({ bench: 'map_page_errors', count: errors.length, first: errors[0] });
    await context.close();
  } finally {
    await browser.close();
    await host.stop();
  }
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-bench-map-'));
try {
  const dir = path.join(work, 'notebook');
  const nb = await Notebook.open(dir, { kind: 'bench' });
  let engagementId: string;
  try {
    engagementId = (await nb.engagements.create({ client: 'Bench', codename: 'MAPS' })).id;
    const changes = generateMap();
    const started = performance.now();
    const service = new MapService(nb.docs, nb.engagements);
    await service.change(engagementId, changes);
    const seedMs = performance.now() - started;
    const { map } = await service.read(engagementId);
    emit({
      bench: 'map_seed',
      systems: map.systems.length,
      integrations: map.integrations.length,
      zones: map.zones.length,
      write_ms: Math.round(seedMs),
    });
    const browserOnly = process.env.BENCH_MAP_BROWSER_ONLY === '1';
    if (!browserOnly) await timeLayout(nb, engagementId);
    const layoutStarted = performance.now();
    await service.autoLayout(engagementId);
    emit({ bench: 'map_layout_saved', systems: map.systems.length, total_ms: Math.round(performance.now() - layoutStarted) });
    if (!browserOnly) timeMerge(await nb.docs.open(`engagement:${engagementId}`));
  } finally {
    await nb.close();
  }
  await browserFigures(dir, engagementId);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
