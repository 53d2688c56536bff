import { describe, expect, it } from 'vitest';
import { markedRuns, ocrMatches, queryTerms } from '../../../renderer/notes/ocr-match';

const SCREEN = 'ORA-12170: TNS connect timeout\nOperator QUOKKAWAVE pressed F3';

describe('which image a search was about', () => {
  it('splits a query as the search index does, leaving out exclusions and `or`', () => {
    expect(queryTerms('ORA-12170 -listener or quokka')).toEqual(['ora', '12170', 'quokka']);
  });

  it('needs every word, the last one as a prefix (search as you type)', () => {
    expect(ocrMatches(SCREEN, queryTerms('tns quokkaw'))).toBe(true);
    expect(ocrMatches(SCREEN, queryTerms('quokkaw tns'))).toBe(false);
    expect(ocrMatches(SCREEN, queryTerms('tn quokkawave'))).toBe(false);
    expect(ocrMatches(SCREEN, queryTerms('tns listener'))).toBe(false);
    expect(ocrMatches(null, queryTerms('tns'))).toBe(false);
    expect(ocrMatches(SCREEN, [])).toBe(false);
  });

  it('marks the matching words and keeps everything else as it was', () => {
    const runs = markedRuns(SCREEN, queryTerms('quokka'));
    expect(runs.map((r) => r.text).join('')).toBe(SCREEN);
    expect(runs.filter((r) => r.marked).map((r) => r.text)).toEqual(['QUOKKAWAVE']);
  });
});
