import { describe, expect, it } from 'vitest';
import { isAllowedHref, stripDisallowedLinks } from '../../../shared/notes/link-policy';
import { markdownToNoteJSON, noteJSONToMarkdown } from '../../../shared/notes/markdown';
import { noteSchema } from '../../../shared/notes/schema';

const linked = (href: string) => ({
  type: 'doc',
  content: [{ type: 'paragraph', content: [{ type: 'text', text: 'click me', marks: [{ type: 'link', attrs: { href } }] }] }],
});

describe('note link policy', () => {
  it('allows web and mail links and the app’s own routes', () => {
    for (const href of [
      'https://example.org/a?b#c',
      'http://10.0.0.1:8080/',
      'mailto:ops@example.org',
      'HTTPS://EXAMPLE.ORG',
      '#/notes/abc',
    ])
      expect(isAllowedHref(href), href).toBe(true);
  });

  it('refuses script, data, file and relative targets, however they are disguised', () => {
    for (const href of [
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      ' javascript:alert(1)',
      'java\tscript:alert(1)',
      'java\u0000script:alert(1)',
      '\u200bjavascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
      '../db/pg_wal',
      '//evil.example/x',
      '',
      'x'.repeat(9000),
    ])
      expect(isAllowedHref(href), JSON.stringify(href.slice(0, 40))).toBe(false);
    expect(isAllowedHref(undefined)).toBe(false);
  });

  it('strips refused links and keeps their text; returns the same body when nothing changes', () => {
    const bad = stripDisallowedLinks(linked('javascript:alert(1)'));
    expect(bad.removed).toBe(1);
    expect(JSON.stringify(bad.json)).not.toContain('javascript');
    expect(JSON.stringify(bad.json)).toContain('click me');
    const good = linked('https://example.org');
    expect(stripDisallowedLinks(good).json).toBe(good);
  });

  it('Markdown in drops javascript: and data: links; Markdown out never writes one', () => {
    const json = markdownToNoteJSON('[a](javascript:alert(1)) [b](data:text/html,x) [c](https://ok.example)');
    const text = JSON.stringify(json);
    expect(text).not.toContain('javascript:');
    expect(text).not.toContain('data:');
    expect(text).toContain('https://ok.example');
    const out = noteJSONToMarkdown(linked('javascript:alert(document.cookie)'));
    expect(out).not.toContain('javascript:');
    expect(out).toContain('click me');
  });

  it('the editor schema renders a refused href (a body synced from elsewhere) without it', () => {
    const schema = noteSchema();
    const render = (href: string) => JSON.stringify(schema.marks.link?.spec.toDOM?.(schema.marks.link.create({ href }), true));
    expect(render('javascript:alert(1)')).not.toContain('javascript:');
    expect(render('https://example.org')).toContain('https://example.org');
  });
});
