import { describe, expect, it } from 'vitest';
import { diffText } from '../../shared/text-diff';

const apply = (before: string, after: string) => {
  const change = diffText(before, after);
  if (!change) return before;
  return before.slice(0, change.index) + change.insert + before.slice(change.index + change.deleteCount);
};

describe('diffText', () => {
  it('returns null for equal strings', () => {
    expect(diffText('same', 'same')).toBeNull();
  });

  it('finds a single insertion, deletion and replacement', () => {
    expect(diffText('abc', 'abXc')).toEqual({ index: 2, deleteCount: 0, insert: 'X' });
    expect(diffText('abXc', 'abc')).toEqual({ index: 2, deleteCount: 1, insert: '' });
    expect(diffText('the red fox', 'the blue fox')).toEqual({ index: 4, deleteCount: 3, insert: 'blue' });
  });

  it('never splits a surrogate pair', () => {
    const change = diffText('a😀b', 'a😃b');
    expect(change).toEqual({ index: 1, deleteCount: 2, insert: '😃' });
  });

  it('round-trips arbitrary edits', () => {
    const cases: Array<[string, string]> = [
      ['', 'hello'],
      ['hello', ''],
      ['aaaa', 'aa'],
      ['abcabc', 'abc'],
      ['مرحبا بالعالم', 'مرحبا يا عالم'],
      ['日本語のテキスト', '日本語テキスト'],
      ['👩‍👩‍👧 family', '👩‍👩‍👦 family'],
    ];
    for (const [before, after] of cases) expect(apply(before, after)).toBe(after);
  });
});
