import { SEEN_BEFORE_MAX_CHARS, type SeenBeforeResult } from '../../shared/debugging/calls';
import { UsageError } from './args';
import { plural, printResult } from './command-helpers';
import { defineCommand, parseSub, type Subcommands } from './command-spec';
import { resolveEngagement } from './engagements-command';
import { readTextInput, textOf } from './output';

const SEEN_USAGE = `Usage:
  CMD 2>&1 | outpost seen [--engagement X] [--limit N] [--json]
  outpost seen --file LOG [--engagement X] [--json]
Finds notes in every engagement whose logs or traces hold the same error (its message with the
variables masked, its exception type and top frames), then similar ones, with their resolution.
--engagement X: the engagement you work in (id or codename). Matches in notes marked above its
ceiling are only counted; without it, everything above the lowest level is.
`;

const SUBCOMMANDS = {
  '': {
    flags: { engagement: { type: 'string' }, limit: { type: 'string' }, file: { type: 'string' }, json: { type: 'boolean' } },
    positionals: { min: 0, max: 0, names: '' },
  },
} as const satisfies Subcommands;

/** `kubectl logs pod | outpost seen`: has this error been met before, and how was it fixed? */
export const seenCommand = defineCommand({
  name: 'seen',
  summary: 'seen this error before? notes in every engagement with the same error, and their fix',
  usage: SEEN_USAGE,
  subcommands: SUBCOMMANDS,
  run: async ({ api, io }, args) => {
    const { values } = parseSub(SUBCOMMANDS, '', args);
    const limit = values.limit === undefined ? 20 : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new UsageError('--limit takes a number from 1 to 100');
    let text: string;
    if (values.file !== undefined) {
      text = await readTextInput(values.file, io, SEEN_BEFORE_MAX_CHARS);
    } else {
      if (io.stdinIsTerminal?.()) throw new UsageError(`Nothing to look up: pipe the error in, or give --file.\n${SEEN_USAGE}`);
      text = textOf(await io.readStdin(SEEN_BEFORE_MAX_CHARS), 'Standard input');
    }
    const engagementId = values.engagement === undefined ? undefined : await resolveEngagement(api, values.engagement);
    const result = await api.call('debugging.seenBefore', { text, ...(engagementId && { engagementId }), limit });
    printResult(io, values.json, result, () => describeResult(result, engagementId !== undefined));
    return 0;
  },
});

function describeResult(result: SeenBeforeResult, engagementNamed: boolean): string {
  if (!result.signatures.length) return 'No error found in the input: nothing to look up (a log with error lines, or a stack trace).\n';
  const lines = [`Looked up ${plural(result.signatures.length, 'error')}: ${result.signatures.map((s) => s.signature).join(' | ')}`];
  if (!result.matches.length) lines.push('Not seen before in this notebook.');
  for (const m of result.matches) {
    const how = m.match === 'exact' ? 'same error' : `similar (${Math.round(m.similarity * 100)} %)`;
    lines.push('', `${m.codename} · “${m.title}” · ${m.updatedAt.slice(0, 10)} · ${m.classification} · ${how}`, `  ${m.signature}`);
    if (m.resolution)
      lines.push(
        ...m.resolution
          .split('\n')
          .map((l) => `  Resolution: ${l}`)
          .slice(0, 6),
      );
    lines.push(`  outpost notes show ${m.noteId}`);
  }
  if (result.lessons.length) lines.push('', 'Lessons learned from it:');
  for (const l of result.lessons) {
    lines.push(`  ${l.codename} · “${l.title}” · ${l.classification}${l.match === 'exact' ? '' : ' · from a similar error'}`);
    if (l.recommendation)
      lines.push(
        ...l.recommendation
          .split('\n')
          .map((line) => `    Recommendation: ${line}`)
          .slice(0, 4),
      );
  }
  for (const w of result.withheld)
    lines.push(
      '',
      `${plural(w.count, 'match', 'matches')} in notes or lessons marked ${w.level}, above ${result.ceiling}: withheld.` +
        (engagementNamed ? '' : ' Name the engagement you work in with --engagement X to see what its ceiling allows.'),
    );
  return `${lines.join('\n')}\n`;
}
