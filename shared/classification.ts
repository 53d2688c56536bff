import { z } from 'zod';

/** The ordered list a new notebook starts with, lowest first. */
export const DEFAULT_CLASSIFICATION_LEVELS: readonly string[] = ['UNCLASSIFIED', 'CUI', 'CONFIDENTIAL', 'SECRET'];

export const levelNameSchema = z
  .string()
  .trim()
  .min(1, 'A classification level needs a name')
  .max(40, 'A classification level name is at most 40 characters')
  .regex(/^[A-Z0-9][A-Z0-9 _/-]*$/, 'Use capital letters, digits, spaces, "_", "/" or "-" for a classification level');

export const classificationLevelsSchema = z
  .array(levelNameSchema)
  .min(1, 'Keep at least one classification level')
  .max(20, 'At most 20 classification levels')
  .refine((levels) => new Set(levels).size === levels.length, 'Classification levels must be unique');

/** Position of `level` in the ordered list, or -1 when the notebook does not know it. */
export function levelRank(levels: readonly string[], level: string): number {
  return levels.indexOf(level);
}

/** True when `level` is known and not above `cap`. */
export function isAtOrBelow(levels: readonly string[], level: string, cap: string): boolean {
  const rank = levelRank(levels, level);
  const capRank = levelRank(levels, cap);
  return rank >= 0 && capRank >= 0 && rank <= capRank;
}
