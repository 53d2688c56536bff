import { describe, expect, it } from 'vitest';
import { toTsQuery } from '../../../electron/notes/note-query';

describe('toTsQuery', () => {
  it('matches every plain word, the last as a prefix', () => {
    expect(toTsQuery('odbc time')).toEqual({ sql: "to_tsquery('english', $Q)", value: "'odbc' & 'time':*", phrase: false, anchor: 'odbc' });
  });

  it('marks phrases that may be looked up by their words first, never one with an exclusion', () => {
    expect(toTsQuery('"dead letter queue"')?.phrase).toBe(true);
    expect(toTsQuery('"dead letter" -kafka')?.phrase).toBe(false);
    expect(toTsQuery('-"dead letter" kafka')?.phrase).toBe(false);
    expect(toTsQuery('kafka or mqtt')?.phrase).toBe(false);
  });

  it('centres snippets on the first wanted word, not an excluded one or an operator', () => {
    expect(toTsQuery('-edi Scanners')?.anchor).toBe('scanner');
    expect(toTsQuery('or "Kepware gateway"')?.anchor).toBe('kepware');
  });

  it('passes quotes, or and -exclusions to websearch syntax', () => {
    expect(toTsQuery('"wave release" -test')?.sql).toContain('websearch_to_tsquery');
    expect(toTsQuery('sftp or edi')?.sql).toContain('websearch_to_tsquery');
  });

  it('finds nothing (instead of failing) for operators or punctuation only', () => {
    for (const query of ['', '   ', '"""', '&|!()', "'':*", '- - -']) expect(toTsQuery(query)).toBeNull();
  });

  it('cannot be used to inject tsquery syntax', () => {
    const result = toTsQuery("a' | b:* & !c");
    expect(result?.value).toBe("'a' & 'b' & 'c':*");
  });
});
