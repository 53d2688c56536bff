import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { logEvents } from '../../../shared/debugging/timeline';

function bodyWithCode(text: string): Y.XmlFragment {
  const doc = new Y.Doc();
  const body = doc.getXmlFragment('body');
  const block = new Y.XmlElement('codeBlock');
  block.insert(0, [new Y.XmlText(text)]);
  body.insert(0, [block]);
  return body;
}

describe('log timestamps of a note', () => {
  it('keeps a 20,000-line log to its first and last line and the lines that went wrong', () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => {
      const at = new Date(Date.UTC(2026, 11, 4, 6, 0, 0) + i * 1000).toISOString();
      return `${at} ${i % 997 === 500 ? 'ERROR pool exhausted' : 'INFO tick'} ${i}`;
    });
    const events = logEvents(bodyWithCode(lines.join('\n')), { noteDate: '2026-12-04T09:00:00Z' });
    expect(events.length).toBeLessThanOrEqual(30);
    expect(events[0]?.text).toContain('tick 0');
    expect(events.slice(1, -1).every((e) => e.text.includes('ERROR'))).toBe(true);
    // Only the examined head of a huge paste is read (bounded time): its last examined line ends the list.
    expect(events.at(-1)?.text).toMatch(/tick \d+$/);
  });

  it('reads nothing from binary pasted as text or prose in a code block', () => {
    expect(logEvents(bodyWithCode('\u0000\u0001\u0002'.repeat(1000)), { noteDate: '2026-12-04T09:00:00Z' })).toEqual([]);
    expect(logEvents(bodyWithCode('const x = 1;\nreturn x;'), { noteDate: '2026-12-04T09:00:00Z' })).toEqual([]);
  });
});
