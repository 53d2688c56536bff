import { levelRank } from '../../shared/classification';

/** The notebook's levels up to an engagement's ceiling: what a note in it may be marked. */
export function levelsUpTo(levels: readonly string[], ceiling: string): string[] {
  const cap = levelRank(levels, ceiling);
  return cap < 0 ? [...levels] : levels.slice(0, cap + 1);
}
