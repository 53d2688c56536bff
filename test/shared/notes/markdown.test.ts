import { describe, expect, it } from 'vitest';
import { markdownToNoteJSON, noteJSONToMarkdown } from '../../../shared/notes/markdown';
import { noteSchema } from '../../../shared/notes/schema';

const roundTrip = (md: string) => noteJSONToMarkdown(markdownToNoteJSON(md));

describe('Markdown ↔ note body', () => {
  it('keeps headings, marks, lists, task lists, tables and code through a round trip', () => {
    const md = [
      '# Title',
      '',
      'Some **bold**, *italic* and `code` with a [link](https://example.org).',
      '',
      '- one',
      '- two',
      '',
      '- [ ] open task',
      '- [x] done task',
      '',
      '| system | protocol |',
      '| --- | --- |',
      '| WMS | SFTP |',
      '',
      '```sql',
      'select * from picks where wave = 3;',
      '```',
    ].join('\n');
    const out = roundTrip(md);
    for (const piece of [
      '# Title',
      '**bold**',
      '*italic*',
      '`code`',
      '[link](https://example.org)',
      '- one',
      '- [ ] open task',
      '- [x] done task',
      '| WMS',
      '```sql',
    ]) {
      expect(out).toContain(piece);
    }
    expect(() => noteSchema().nodeFromJSON(markdownToNoteJSON(md)).check()).not.toThrow();
  });

  it('keeps raw HTML as text, never as markup', () => {
    const json = markdownToNoteJSON('<script>alert(1)</script> and <img src=x onerror=alert(2)>');
    expect(JSON.stringify(json)).toContain('<script>alert(1)</script>');
    expect(JSON.stringify(json)).not.toContain('"type":"image"');
  });

  it('handles mixed scripts and CRLF line endings', () => {
    const json = markdownToNoteJSON('مرحبا بالعالم\r\n\r\n日本語のテキスト 🚚\r\n');
    const text = JSON.stringify(json);
    expect(text).toContain('مرحبا بالعالم');
    expect(text).toContain('日本語のテキスト 🚚');
  });

  it('never drops text that does not map to the schema', () => {
    const json = markdownToNoteJSON('Term\n: definition list item\n\n[^1]: a footnote');
    expect(JSON.stringify(json)).toContain('definition list item');
  });
});
