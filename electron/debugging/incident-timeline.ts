import * as Y from 'yjs';
import type { IncidentTimelineResult, TimelineEntry } from '../../shared/debugging/calls';
import { hypotheses, type ItemId, logEvents, resolutionFacts } from '../../shared/debugging/timeline';
import { OutpostError } from '../../shared/errors';
import { docIdFor } from '../../shared/ids';
import { noteBody, readNoteMeta } from '../../shared/notes/doc';
import type { DocStore } from '../docs/doc-store';
import type { Database } from '../notebook/database';

/** At most this many logged updates are read to date a note's own moments (reading more would stall). */
const MAX_DATED_UPDATES = 20_000;
const DATING_BATCH = 500;

/**
 * Builds an incident note's timeline: its log blocks' timestamps (shared/debugging/timeline.ts),
 * and the note's own moments dated by its update log — each Yjs item was created by exactly one
 * logged update, whose arrival time is when it was typed here (or, for a change written on another
 * device, when it arrived: flagged).
 */
export class IncidentTimeline {
  constructor(
    private readonly db: Database,
    private readonly docs: DocStore,
  ) {}

  async of(noteId: string): Promise<IncidentTimelineResult> {
    const docId = docIdFor('note', noteId);
    // Typing of a moment ago is in the log before its moments are dated.
    await this.docs.flush(docId, { projections: false });
    const facts = await this.docs.read(docId, (doc) => {
      const body = noteBody(doc);
      const meta = readNoteMeta(doc);
      return { logs: logEvents(body, { noteDate: meta.createdAt }), tried: hypotheses(body), resolution: resolutionFacts(body) };
    });
    if (!facts) throw new OutpostError('not_found', `No note ${noteId}`);
    const entries: TimelineEntry[] = facts.logs.map((e) => ({ at: e.iso, kind: 'log', text: e.text, raw: e.raw, flags: e.flags }));
    const wanted = [...facts.tried.flatMap((h) => [h.written, h.ticked]), facts.resolution?.written ?? null].filter(
      (id): id is ItemId => id !== null,
    );
    const dateOf = await this.dater(docId, wanted);
    for (const h of facts.tried) {
      entries.push({ kind: 'hypothesis', text: h.text, raw: '', ...dateOf(h.written) });
      if (h.tried) entries.push({ kind: 'tried', text: h.text, raw: '', ...dateOf(h.ticked) });
    }
    if (facts.resolution) entries.push({ kind: 'resolution', text: facts.resolution.text, raw: '', ...dateOf(facts.resolution.written) });
    // Oldest first; what cannot be dated goes last, in the note's order.
    const order = entries.map((entry, index) => ({ entry, index, ms: entry.at ? Date.parse(entry.at) : Number.POSITIVE_INFINITY }));
    order.sort((a, b) => a.ms - b.ms || a.index - b.index);
    const sorted = order.map((o) => o.entry);
    return { entries: sorted, flagged: sorted.filter((e) => e.flags.length).length };
  }

  /**
   * Dates Yjs items by the logged update that created them. The log is read in order, a batch at a
   * time, and only until every wanted item is found: the panel asks again after each change of the
   * note, and hypotheses are usually written early in a long history.
   */
  private async dater(docId: string, wanted: ItemId[]): Promise<(id: ItemId | null) => { at: string | null; flags: string[] }> {
    const key = (id: ItemId) => `${id.client}:${id.clock}`;
    const found = new Map<string, { at: string; flags: string[] }>();
    const open = new Map(wanted.map((id) => [key(id), id]));
    let after = 0;
    let read = 0;
    while (open.size && read < MAX_DATED_UPDATES) {
      const batch = await this.db.query<{ seq: string; received_at: Date; data: Uint8Array; bundle_id: string | null }>(
        'SELECT seq::text, received_at, data, bundle_id FROM doc_updates WHERE doc_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
        [docId, after, DATING_BATCH],
      );
      if (!batch.rows.length) break;
      for (const row of batch.rows) {
        let meta: { from: Map<number, number>; to: Map<number, number> };
        try {
          meta = Y.parseUpdateMeta(new Uint8Array(row.data));
        } catch {
          continue; // An unreadable row dates nothing (the notebook's doctor reports it).
        }
        for (const [k, id] of open) {
          const from = meta.from.get(id.client);
          const to = meta.to.get(id.client);
          if (from === undefined || to === undefined || id.clock < from || id.clock >= to) continue;
          const at = new Date(row.received_at).toISOString();
          found.set(k, { at, flags: row.bundle_id ? ['written on another device: the time it was imported here'] : [] });
          open.delete(k);
        }
      }
      read += batch.rows.length;
      after = Number(batch.rows[batch.rows.length - 1]?.seq);
    }
    const unknown =
      open.size && read >= MAX_DATED_UPDATES ? `not dated: only the first ${MAX_DATED_UPDATES} logged changes are read` : 'time not known';
    return (id) => (id && found.get(key(id))) || { at: null, flags: [unknown] };
  }
}
