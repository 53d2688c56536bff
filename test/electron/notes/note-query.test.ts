import { describe, expect, it } from 'vitest';
import { toTsQuery } from '../../../electron/notes/note-query';

describe('toTsQuery', () => {
  it('matches every plain word, the last as a prefix', () => {
    expect(toTsQuery('odbc time')).toEqual({ sql: "to_tsquery('english', $Q)", value: "'odbc' & 'time':*" });
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
