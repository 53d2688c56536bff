import type { JSONContent } from '@tiptap/core';
import type { NoteType } from './model';

/**
 * Starting structure per note type, as tiptap JSON. Headings and empty paragraphs the author
 * fills in or deletes; nothing here is enforced afterwards.
 */
const heading = (text: string, level = 2): JSONContent => ({ type: 'heading', attrs: { level }, content: [{ type: 'text', text }] });
const paragraph = (text?: string): JSONContent => (text ? { type: 'paragraph', content: [{ type: 'text', text }] } : { type: 'paragraph' });
const bullets = (...items: string[]): JSONContent => ({
  type: 'bulletList',
  content: items.map((text) => ({ type: 'listItem', content: [paragraph(text || undefined)] })),
});
const tasks = (...items: string[]): JSONContent => ({
  type: 'taskList',
  content: items.map((text) => ({ type: 'taskItem', attrs: { checked: false }, content: [paragraph(text || undefined)] })),
});
const table = (header: string[], rows: string[][]): JSONContent => ({
  type: 'table',
  content: [
    { type: 'tableRow', content: header.map((h) => ({ type: 'tableHeader', content: [paragraph(h)] })) },
    ...rows.map((row) => ({
      type: 'tableRow',
      content: row.map((cell) => ({ type: 'tableCell', content: [paragraph(cell || undefined)] })),
    })),
  ],
});

const TEMPLATES: Record<NoteType, () => JSONContent[]> = {
  'field-log': () => [paragraph()],
  incident: () => [
    heading('Symptom'),
    paragraph('What fails, for whom, since when. Paste the error.'),
    heading('Environment'),
    bullets('Systems and versions:', 'Network zone:', 'Data involved:'),
    heading('Hypotheses tried'),
    tasks(''),
    heading('Evidence'),
    paragraph(),
    heading('Root cause'),
    paragraph(),
    heading('Resolution'),
    paragraph(),
    heading('Follow-ups'),
    tasks(''),
  ],
  decision: () => [
    heading('Context'),
    paragraph(),
    heading('Options considered'),
    bullets(''),
    heading('Decision'),
    paragraph(),
    heading('Consequences'),
    paragraph(),
  ],
  'integration-contract': () => [
    table(
      ['Field', 'Value'],
      [
        ['Systems', ''],
        ['Protocol', ''],
        ['Data format', ''],
        ['Direction', ''],
        ['Owner', ''],
        ['SLAs', ''],
      ],
    ),
    heading('Payload and mapping'),
    { type: 'codeBlock', attrs: { language: 'json' } },
    heading('Known issues'),
    bullets(''),
  ],
  meeting: () => [
    heading('Attendees'),
    bullets(''),
    heading('Agenda'),
    bullets(''),
    heading('Notes'),
    paragraph(),
    heading('Actions'),
    tasks(''),
  ],
  runbook: () => [
    heading('Purpose'),
    paragraph('When to use this runbook and who runs it.'),
    heading('Prerequisites'),
    bullets(''),
    heading('Steps'),
    { type: 'orderedList', content: [{ type: 'listItem', content: [paragraph()] }] },
    heading('Verification'),
    paragraph(),
    heading('Rollback'),
    paragraph(),
  ],
  general: () => [paragraph()],
};

export function noteTemplate(type: NoteType): JSONContent {
  return { type: 'doc', content: TEMPLATES[type]() };
}

/** The title a new note of this type gets when none is given. */
export function defaultNoteTitle(type: NoteType, now: Date): string {
  const day = now.toISOString().slice(0, 10);
  switch (type) {
    case 'field-log':
      return `Field log ${day}`;
    case 'incident':
      return `Incident ${day}`;
    case 'meeting':
      return `Meeting ${day}`;
    default:
      return 'Untitled';
  }
}
