import { describe, expect, it } from 'vitest';
import { plural } from '../../shared/plural';

describe('plural', () => {
  it('says one and many, with an irregular plural when given', () => {
    expect(plural(1, 'note')).toBe('1 note');
    expect(plural(0, 'note')).toBe('0 notes');
    expect(plural(2, 'match', 'matches')).toBe('2 matches');
    expect(plural(1, 'match', 'matches')).toBe('1 match');
  });
});
