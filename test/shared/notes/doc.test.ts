import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { appendParagraph, applyNotePatch, bodyFacts, initNoteDoc, noteBody, noteBodyJSON, readNoteMeta } from '../../../shared/notes/doc';
import { markdownToNoteJSON } from '../../../shared/notes/markdown';
import { attachmentUrl } from '../../../shared/notes/nodes';
import { noteTemplate } from '../../../shared/notes/templates';

const SHA = 'a'.repeat(64);
const LINKED = '22222222-2222-4222-8222-222222222222';

const init = {
  id: '11111111-1111-4111-8111-111111111111',
  engagementId: '33333333-3333-4333-8333-333333333333',
  title: 'Late picks',
  type: 'incident' as const,
  classification: 'CUI',
  tags: ['erp'],
  pinned: false,
  createdAt: '2026-03-01T08:00:00.000Z',
  authorId: 'device-1',
  authorName: 'Ana',
};

function newNote(body = noteTemplate('incident')): Y.Doc {
  const doc = new Y.Doc();
  initNoteDoc(doc, init, body);
  return doc;
}

const fork = (doc: Y.Doc) => {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
};
const exchange = (a: Y.Doc, b: Y.Doc) => {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
};

describe('note doc', () => {
  it('holds metadata and body in one doc, and reads them back', () => {
    const doc = newNote();
    expect(readNoteMeta(doc)).toEqual({ ...init, tags: ['erp'] });
    const headings = (noteBodyJSON(doc).content ?? []).filter((n) => n.type === 'heading').map((n) => n.content?.[0]?.text);
    expect(headings).toEqual(['Symptom', 'Environment', 'Hypotheses tried', 'Evidence', 'Root cause', 'Resolution', 'Follow-ups']);
  });

  it('gives every type a template that fits the schema', () => {
    for (const type of ['field-log', 'incident', 'decision', 'integration-contract', 'meeting', 'runbook', 'general'] as const) {
      const doc = new Y.Doc();
      expect(() => initNoteDoc(doc, { ...init, type }, noteTemplate(type))).not.toThrow();
    }
  });

  it('refuses a body that does not fit the schema, writing nothing', () => {
    const doc = new Y.Doc();
    expect(() => initNoteDoc(doc, init, { type: 'doc', content: [{ type: 'marquee' }] })).toThrow(/does not fit the note schema/);
    expect(Y.encodeStateVector(doc)).toEqual(Y.encodeStateVector(new Y.Doc()));
  });

  it('merges concurrent metadata edits field by field, and tag additions as a set', () => {
    const a = newNote();
    const b = fork(a);
    applyNotePatch(a, { title: 'Late picks at wave release', tags: ['erp', 'throttling'] });
    applyNotePatch(b, { pinned: true, tags: ['erp', 'wave'] });
    exchange(a, b);
    expect(readNoteMeta(a)).toEqual(readNoteMeta(b));
    expect(readNoteMeta(a)).toMatchObject({ title: 'Late picks at wave release', pinned: true, tags: ['erp', 'throttling', 'wave'] });
  });

  it('normalises tags (lower case, unique) and rejects bad ones', () => {
    const doc = newNote();
    applyNotePatch(doc, { tags: ['ERP', 'erp', ' Data Lake '] });
    expect(readNoteMeta(doc).tags).toEqual(['data lake', 'erp']);
    expect(() => applyNotePatch(doc, { tags: ['a,b'] })).toThrow(/commas/);
    expect(() => applyNotePatch(doc, { type: 'memo' as never })).toThrow(/Type is one of/);
  });

  it('extracts searchable text, word count, links and attachments from the body', () => {
    const body = {
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'ODBC timeout' }] },
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'See ' },
            { type: 'noteLink', attrs: { id: LINKED, label: 'Runbook' } },
            { type: 'text', text: ' for the restart.' },
          ],
        },
        { type: 'image', attrs: { src: attachmentUrl(SHA), alt: 'error dialog' } },
        { type: 'attachment', attrs: { sha: 'b'.repeat(64), name: 'erp.log', size: 10, mime: 'text/plain' } },
      ],
    };
    const facts = bodyFacts(noteBody(newNote(body)));
    expect(facts.text).toBe('ODBC timeout\nSee [[Runbook]] for the restart.\nerror dialog\nerp.log');
    expect(facts.links).toEqual([LINKED]);
    expect(facts.attachments).toEqual([SHA, 'b'.repeat(64)]);
    expect(facts.words).toBe(10);
  });

  it('appends a paragraph at the end (quick capture)', () => {
    const doc = newNote(markdownToNoteJSON('first line'));
    appendParagraph(doc, '09:15 — wave 3 released');
    expect(bodyFacts(noteBody(doc)).text).toBe('first line\n09:15 — wave 3 released');
  });
});
