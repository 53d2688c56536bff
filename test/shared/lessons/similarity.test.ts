import { describe, expect, it } from 'vitest';
import { similarPairs, similarTo, trigramSimilarity, trigrams } from '../../../shared/lessons/similarity';

describe('trigram similarity', () => {
  it("uses pg_trgm's trigrams: lower case, words padded with two spaces in front and one behind", () => {
    expect(trigrams('Cat').sort()).toEqual(['  c', ' ca', 'at ', 'cat'].sort());
    expect(trigrams('a-b')).toEqual(['  a', ' a ', '  b', ' b ']);
    // Values pg_trgm's similarity() returns for the same texts.
    expect(trigramSimilarity('word', 'two words')).toBeCloseTo(0.363636, 5);
    expect(trigramSimilarity('Überweisung über Straße ÅB-12', 'uberweisung strasse ab 12')).toBeCloseTo(0.444444, 5);
    expect(trigramSimilarity('', 'x')).toBe(0);
  });

  it('finds exactly the pairs a comparison of every pair finds', () => {
    let seed = 3;
    const rand = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const vocab = 'export timezone picks late erp proxy timeout scanner firewall vendor queue retry schema canary baseline shift'.split(
      ' ',
    );
    const items = Array.from({ length: 300 }, (_, i) => ({
      ref: `r${String(i).padStart(3, '0')}`,
      text: Array.from({ length: 3 + Math.floor(rand() * 6) }, () => vocab[Math.floor(rand() * vocab.length)]).join(' '),
    }));
    items.push({ ref: 'r900', text: '' });
    for (const threshold of [0.3, 0.45, 0.7]) {
      const expected: string[] = [];
      for (let i = 0; i < items.length; i++)
        for (let j = i + 1; j < items.length; j++) {
          const a = items[i] as { ref: string; text: string };
          const b = items[j] as { ref: string; text: string };
          if (trigramSimilarity(a.text, b.text) >= threshold) expected.push(`${a.ref} ${b.ref}`);
        }
      const found = similarPairs(items, threshold, 1_000_000);
      expect(found.map((p) => `${p.a} ${p.b}`).sort()).toEqual(expected.sort());
      expect(found.every((p, i) => i === 0 || (found[i - 1] as { score: number }).score >= p.score)).toBe(true);
      expect(expected.length).toBeGreaterThan(0);
    }
    expect(similarPairs(items, 0.45, 5)).toHaveLength(5);
    const one = similarTo(items[0]?.text as string, items.slice(1), 0.45, 1_000);
    expect(one.map((m) => m.ref).sort()).toEqual(
      items
        .slice(1)
        .filter((item) => trigramSimilarity(items[0]?.text as string, item.text) >= 0.45)
        .map((item) => item.ref)
        .sort(),
    );
  });
});
