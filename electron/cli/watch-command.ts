import type { EngagementSummary } from '../../shared/engagements/model';
import { OutpostError } from '../../shared/errors';
import { NOTE_TYPE_LABELS } from '../../shared/notes/model';
import { connectToHolder } from './channel-client';
import type { CliApi } from './cli-api';
import { defineCommand, parseSub, type Subcommands } from './command-spec';
import type { CliIO } from './output';

const WATCH_USAGE = `Usage: outpost watch [--engagement X] [--json]
Prints changes as they land in the notebook the app (or the browser host) has open: notes created
or edited (in any window, by the CLI, by an import), engagements changed, bundles imported or
exported. --json prints one JSON object per line. Waits for the app when it is not open yet, and
again after it closes; stop with Ctrl+C.
`;

const SUBCOMMANDS = { '': { flags: { engagement: { type: 'string' }, json: { type: 'boolean' } } } } as const satisfies Subcommands;

/** An edit of the same note printed again within this long is folded into the first (typing saves every second or two). */
const QUIET_MS = 10_000;

export interface WatchEvent {
  at: string;
  kind: 'note' | 'engagement' | 'bundle';
  change: 'created' | 'edited' | 'changed' | 'received' | 'sent';
  id: string;
  title: string;
  engagementId?: string;
  engagement?: string;
}

export const watchCommand = defineCommand({
  name: 'watch',
  summary: 'print changes as they land (notes, engagements, bundle imports), for scripts and tmux panes',
  usage: WATCH_USAGE,
  subcommands: SUBCOMMANDS,
  // It follows the app's notebook and never opens it itself: that would lock the app out.
  noNotebook: true,
  run: async ({ io, dir }, args) => {
    const { values } = parseSub(SUBCOMMANDS, '', args);
    const print = (event: WatchEvent) => io.stdout(values.json ? `${JSON.stringify(event)}\n` : `${line(event)}\n`);
    const say = (text: string) => {
      if (!values.json) io.stderr(`${text}\n`);
    };
    const stop = stopSignal(io);
    let waiting = false;
    while (!stop.stopped) {
      const api = await connectToHolder(dir);
      if (!api) {
        if (!waiting) say(`Waiting for the app to open ${dir}…`);
        waiting = true;
        await Promise.race([sleep(1000), stop.promise]);
        continue;
      }
      waiting = false;
      say(`Watching ${dir} through ${api.answeredBy}. Ctrl+C to stop.`);
      await follow(api, values.engagement, print, stop.promise);
      await api.close().catch(() => {});
      if (!stop.stopped) say('The app closed the notebook.');
    }
    return 0;
  },
});

/** Subscribes to the holder's events and prints each change until it goes away or the user stops. */
async function follow(api: CliApi, engagementRef: string | undefined, print: (event: WatchEvent) => void, stopped: Promise<void>) {
  const onlyEngagement = engagementRef === undefined ? undefined : (await api.call('engagements.resolve', { ref: engagementRef })).id;
  const engagements = new Map<string, EngagementSummary>();
  const refreshEngagements = async () => {
    for (const e of (await api.call('engagements.list', { includeArchived: true })).engagements) engagements.set(e.id, e);
  };
  await refreshEngagements();
  const seenBundles = new Set((await api.call('bundles.ledger', {})).entries.map((e) => e.bundleId));
  const lastPrinted = new Map<string, number>();
  const started = Date.now();
  const now = () => new Date().toISOString();
  // Events are handled one at a time, in order: each may need a call to describe it.
  let queue = Promise.resolve();
  const enqueue = (task: () => Promise<void>) => {
    queue = queue.then(task).catch(() => {});
  };

  const stops = [
    api.on('notes.changed', ({ ids }) =>
      enqueue(async () => {
        for (const id of ids) {
          const note = await api.call('notes.get', { id }).catch((error: unknown) => {
            if (error instanceof OutpostError && error.code === 'not_found') return null;
            throw error;
          });
          if (!note || (onlyEngagement && note.engagementId !== onlyEngagement)) continue;
          const created = !lastPrinted.has(id) && Date.parse(note.createdAt) >= started - 5_000;
          const previous = lastPrinted.get(id);
          if (!created && previous !== undefined && Date.now() - previous < QUIET_MS) continue;
          lastPrinted.set(id, Date.now());
          if (!engagements.has(note.engagementId)) await refreshEngagements();
          print({
            at: now(),
            kind: 'note',
            change: created ? 'created' : 'edited',
            id,
            title: `${note.title || 'Untitled'} (${NOTE_TYPE_LABELS[note.type]})`,
            engagementId: note.engagementId,
            engagement: engagements.get(note.engagementId)?.codename ?? '?',
          });
        }
      }),
    ),
    api.on('engagements.changed', ({ ids }) =>
      enqueue(async () => {
        const before = new Set(engagements.keys());
        await refreshEngagements();
        for (const id of ids) {
          const engagement = engagements.get(id);
          if (!engagement || (onlyEngagement && id !== onlyEngagement)) continue;
          const previous = lastPrinted.get(id);
          if (before.has(id) && previous !== undefined && Date.now() - previous < QUIET_MS) continue;
          lastPrinted.set(id, Date.now());
          print({
            at: now(),
            kind: 'engagement',
            change: before.has(id) ? 'changed' : 'created',
            id,
            title: `${engagement.codename} (${engagement.client})`,
            engagementId: id,
            engagement: engagement.codename,
          });
        }
      }),
    ),
    api.on('bundles.changed', () =>
      enqueue(async () => {
        for (const entry of (await api.call('bundles.ledger', {})).entries) {
          if (seenBundles.has(entry.bundleId)) continue;
          seenBundles.add(entry.bundleId);
          if (onlyEngagement && !entry.engagementIds.includes(onlyEngagement)) continue;
          print({
            at: now(),
            kind: 'bundle',
            change: entry.direction,
            id: entry.bundleId,
            title: `${entry.direction === 'received' ? 'from' : 'to'} ${entry.peerName}: ${entry.changedDocs} of ${entry.docs} documents changed`,
          });
        }
      }),
    ),
  ];
  await Promise.race([api.gone, stopped]);
  for (const off of stops) off();
}

function line(event: WatchEvent): string {
  const time = new Date(event.at).toLocaleTimeString([], { hour12: false });
  const where = event.engagement ? `${event.engagement}  ` : '';
  return `${time}  ${event.kind} ${event.change}  ${where}${event.title}  ${event.id}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Ctrl+C (or SIGTERM) ends the watch cleanly; tests stop it through `io.stopSignal`. */
function stopSignal(io: CliIO): { promise: Promise<void>; stopped: boolean } {
  const state = { stopped: false, promise: Promise.resolve() };
  state.promise = new Promise<void>((resolve) => {
    const done = () => {
      state.stopped = true;
      resolve();
    };
    if (io.stopSignal) void io.stopSignal.then(done);
    else {
      process.once('SIGINT', done);
      process.once('SIGTERM', done);
    }
  });
  return state;
}
