import { describe, expect, it } from 'vitest';
import { readability, readabilityHint } from '../../../shared/stakeholders/readability';

describe('readability', () => {
  it('scores plain text as easy and dense technical text as hard', () => {
    const plain = readability(
      'During the morning peak, pick suggestions arrive late. About 40 picks a day are late. We need IT to raise one limit.',
    );
    const dense = readability(
      'P99 inference latency exceeds two seconds because the enterprise resource planning integration endpoint throttles synchronous authorization requests to five requests per second, consequently degrading recommendation availability.',
    );
    expect(plain?.score).toBeGreaterThan(70);
    expect(plain?.band).toMatch(/easy/);
    expect(plain?.sentences).toBe(3);
    expect(dense?.score).toBeLessThan(30);
    expect(dense?.grade).toBeGreaterThan(plain?.grade ?? 0);
    expect(dense?.longSentences).toBe(1);
  });

  it('counts sentences by line breaks and end marks, not decimal points', () => {
    const result = readability('Latency is 2.5 s now.\n- one item\n- another item here');
    expect(result?.sentences).toBe(3);
  });

  it('returns null for too little text and copes with other scripts', () => {
    expect(readability('')).toBeNull();
    expect(readability('Two words')).toBeNull();
    expect(readability('Die Kommissionierung verzögert sich am Morgen deutlich.')?.words).toBe(7);
  });

  it('hints by the reader’s fluency, and never for text that suits them', () => {
    const hard = readability(
      'Synchronous authorization requests consequently degrade recommendation availability throughout operational periods.',
    );
    expect(hard).not.toBeNull();
    if (!hard) return;
    expect(readabilityHint(hard, 1)).toContain('aim for 60+');
    const easy = readability('Picks are late in the morning. We need one fix.');
    if (!easy) throw new Error('expected a score');
    expect(readabilityHint(easy, 1)).toBeNull();
  });
});
