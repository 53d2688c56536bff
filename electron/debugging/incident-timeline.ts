import * as Y from 'yjs';
import type { IncidentTimelineResult, TimelineEntry } from '../../shared/debugging/calls';
import { hypotheses, type ItemId, logEvents, resolutionFacts } from '../../shared/debugging/timeline';
import { OutpostError } from '../../shared/errors';
import { docIdFor } from '../../shared/ids';
import { noteBody, readNoteMeta } from '../../shared/notes/doc';
import type { DocStore } from '../docs/doc-store';
import type { Database } from '../notebook/database';

/** Beyond this many logged updates a note's own moments are not dated (reading them all would stall). */
const MAX_DATED_UPDATES = 20_000;

interface LoggedUpdate {
  at: string;
  from: Map<number, number>;
  to: Map<number, number>;
  arrived: 'here' | 'bundle' | 'hub';
}

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
    const dateOf = wanted.length ? await this.dater(docId) : () => ({ at: null, flags: [] });
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

  /** Dates Yjs items by the logged update that created them. */
  private async dater(docId: string): Promise<(id: ItemId | null) => { at: string | null; flags: string[] }> {
    const result = await this.db.query<{ received_at: Date; data: Uint8Array; bundle_id: string | null; via_hub: string | null }>(
      'SELECT received_at, data, bundle_id, via_hub FROM doc_updates WHERE doc_id = $1 ORDER BY seq LIMIT $2',
      [docId, MAX_DATED_UPDATES + 1],
    );
    if (result.rows.length > MAX_DATED_UPDATES)
      return () => ({ at: null, flags: [`not dated: the note has more than ${MAX_DATED_UPDATES} logged changes`] });
    const updates: LoggedUpdate[] = [];
    for (const row of result.rows) {
      try {
        const meta = Y.parseUpdateMeta(new Uint8Array(row.data));
        updates.push({
          at: new Date(row.received_at).toISOString(),
          ...meta,
          arrived: row.bundle_id ? 'bundle' : row.via_hub ? 'hub' : 'here',
        });
      } catch {
        // An unreadable row dates nothing (the notebook's doctor reports it).
      }
    }
    return (id) => {
      if (!id) return { at: null, flags: ['time not known'] };
      const update = updates.find((u) => {
        const from = u.from.get(id.client);
        const to = u.to.get(id.client);
        return from !== undefined && to !== undefined && id.clock >= from && id.clock < to;
      });
      if (!update) return { at: null, flags: ['time not known'] };
      if (update.arrived === 'bundle') return { at: update.at, flags: ['written on another device: the time it was imported here'] };
      return { at: update.at, flags: [] };
    };
  }
}
