import { UsageError } from './args';
import type { CliApi } from './cli-api';
import { resolveEngagement } from './engagements-command';
import { type CliIO, formatTable, json } from './output';

/**
 * Argument and output handling the map, sync, stakeholder, card and lesson commands share: one
 * way to name the engagement, split a list flag, print a result or a list (as a table, or JSON
 * with --json), so the commands read the same and say the same things.
 */

/** The engagement a command works in, from `--engagement X` (its id or codename); required. */
export async function engagementFlag(api: CliApi, value: string | undefined): Promise<string> {
  if (!value) throw new UsageError('Missing --engagement');
  return resolveEngagement(api, value);
}

/** A comma-separated flag value as a list ("WMS, pick-to-light" → ["WMS", "pick-to-light"]). */
export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** `splitList` for an optional flag: undefined stays undefined. */
export function listFlag(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : splitList(value);
}

/** "1 card", "2 cards" (shared with the views). */
export { plural } from '../../shared/plural';

/** With --json the value itself, else the line a person reads. */
export function printResult(io: CliIO, asJson: boolean | undefined, value: unknown, text: () => string): void {
  io.stdout(asJson ? json(value) : text());
}

export interface ListView<T> {
  /** What to do when there is nothing yet (a line ending in a newline). */
  empty: string;
  headers: string[];
  row: (item: T) => string[];
}

/** A list: as JSON with --json, else a table, or `empty` when there is nothing to show. */
export function printList<T>(io: CliIO, asJson: boolean | undefined, items: T[], view: ListView<T>): void {
  if (asJson) io.stdout(json(items));
  else if (!items.length) io.stdout(view.empty);
  else io.stdout(formatTable(view.headers, items.map(view.row)));
}
