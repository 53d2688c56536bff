import { syllable } from 'syllable';

export interface Readability {
  words: number;
  sentences: number;
  /** Flesch Reading Ease (1948): 100 very easy … 0 very hard; plain business English is 60–70. */
  score: number;
  /** Flesch–Kincaid grade level: the US school grade a reader needs. */
  grade: number;
  band: 'very easy' | 'easy' | 'plain' | 'fairly hard' | 'hard' | 'very hard';
  /** Average words per sentence. */
  wordsPerSentence: number;
  /** Sentences over 25 words: the usual first thing to split. */
  longSentences: number;
}

const WORD = /[\p{L}\p{N}]+(?:['’\-.][\p{L}\p{N}]+)*/gu;

/** Sentences end at . ! ? … or a line break (a list item); a decimal point or "e.g." does not end one. */
function countSentences(text: string): number[] {
  const counts: number[] = [];
  for (const chunk of text.split(/(?<=[.!?…])\s+(?=[\p{Lu}\p{N}"“(])|\n+/u)) {
    const words = chunk.match(WORD)?.length ?? 0;
    if (words) counts.push(words);
  }
  return counts;
}

/**
 * Readability of an English text by the Flesch formulas (syllables from the `syllable` package).
 * Meant as a hint next to a rendering: it does not judge meaning, and for other languages it is
 * only a rough guide. Null for texts under 3 words.
 */
export function readability(text: string): Readability | null {
  const words = text.match(WORD) ?? [];
  if (words.length < 3) return null;
  const sentences = countSentences(text);
  const sentenceCount = Math.max(1, sentences.length);
  let syllables = 0;
  for (const word of words) syllables += /^\p{N}/u.test(word) ? 1 : Math.max(1, syllable(word));
  const wps = words.length / sentenceCount;
  const spw = syllables / words.length;
  const score = Math.round((206.835 - 1.015 * wps - 84.6 * spw) * 10) / 10;
  const grade = Math.max(0, Math.round((0.39 * wps + 11.8 * spw - 15.59) * 10) / 10);
  return {
    words: words.length,
    sentences: sentenceCount,
    score,
    grade,
    band:
      score >= 80
        ? 'very easy'
        : score >= 70
          ? 'easy'
          : score >= 60
            ? 'plain'
            : score >= 50
              ? 'fairly hard'
              : score >= 30
                ? 'hard'
                : 'very hard',
    wordsPerSentence: Math.round(wps * 10) / 10,
    longSentences: sentences.filter((n) => n > 25).length,
  };
}

/**
 * What a score means for a reader of the given technical fluency (1–5): an executive (1–2) should
 * get plain text (≥ 60), an engineer (5) can take hard text. Null when the score suits them.
 */
export function readabilityHint(result: Readability, fluency = 2): string | null {
  const target = fluency <= 2 ? 60 : fluency === 3 ? 50 : fluency === 4 ? 40 : 30;
  if (result.score >= target) return null;
  const split = result.longSentences
    ? ` Split the ${result.longSentences === 1 ? 'sentence' : `${result.longSentences} sentences`} over 25 words.`
    : '';
  return `Harder than this reader may like (aim for ${target}+).${split} Prefer short, common words.`;
}
