import { encodeBytes } from '../../shared/bytes';
import { OutpostError } from '../../shared/errors';
import { ATTACHMENT_CHUNK_BYTES, MAX_CAPTURE_CHARS } from '../../shared/notes/calls';
import type { CaptureEntry } from '../../shared/notes/capture';
import { UsageError } from './args';
import type { CliApi } from './cli-api';
import { defineCommand, parseSub, type Subcommands } from './command-spec';
import { resolveEngagement } from './engagements-command';
import { formatBytes, json, textOf } from './output';

const LOG_USAGE = `Usage:
  outpost log "TEXT" [--engagement X] [--json]          a timestamped line in today's field log
  CMD | outpost log [--engagement X]                    standard input as lines
  CMD 2>&1 | outpost log --code [--lang L] [--engagement X]   standard input verbatim, as a code block
The field log is the engagement's (X: id or codename), else the one last shown in the app.
Input over 1 MB is attached as a text file, as pasting into a note does; binary input is refused.
`;

const SUBCOMMANDS = {
  '': {
    flags: { engagement: { type: 'string' }, code: { type: 'boolean' }, lang: { type: 'string' }, json: { type: 'boolean' } },
    positionals: { min: 0, max: 1000, names: 'text' },
  },
} as const satisfies Subcommands;

/** Quick capture from any terminal: `outpost log "…"`, `kubectl describe pod x | outpost log --code`. */
export const logCommand = defineCommand({
  name: 'log',
  summary: "append a timestamped line (or a code block) to today's field log",
  usage: LOG_USAGE,
  subcommands: SUBCOMMANDS,
  run: async ({ api, io }, args) => {
    const { values, positionals } = parseSub(SUBCOMMANDS, '', args);
    if (values.lang !== undefined && !values.code) throw new UsageError('--lang goes with --code');
    const engagementId = values.engagement === undefined ? undefined : await resolveEngagement(api, values.engagement);
    const now = new Date();
    let text = positionals.join(' ');
    let bytes: Uint8Array | null = null;
    if (!text) {
      if (io.stdinIsTerminal?.()) throw new UsageError(`Nothing to log: give the text, or pipe it in.\n${LOG_USAGE}`);
      const limit = (await api.call('notebook.info', {})).attachmentMaxBytes;
      bytes = await io.readStdin(limit);
      text = textOf(bytes, 'Standard input');
    }
    if (!text.trim()) throw new UsageError('Nothing to log: the text is empty');
    const entry: CaptureEntry =
      text.length > MAX_CAPTURE_CHARS
        ? await attachText(api, bytes ?? new TextEncoder().encode(text), `${values.code ? 'output' : 'log'}-${stamp(now)}.txt`)
        : values.code
          ? { kind: 'code', text, ...(values.lang !== undefined && { language: values.lang }) }
          : { kind: 'text', text };
    const log = await api.call('notes.capture', {
      ...(engagementId && { engagementId }),
      date: localDate(now),
      time: localTime(now),
      entry,
    });
    if (values.json) io.stdout(json(log));
    else {
      const engagement = await api.call('engagements.get', { id: log.engagementId });
      const what = entry.kind === 'attachment' ? `${formatBytes(entry.size)} attached as ${entry.name}` : 'Logged';
      io.stdout(`${what} to “${log.title}” of ${engagement.codename} at ${localTime(now)}\n`);
    }
    return 0;
  },
});

/** Input too long to paste becomes a text attachment of the field log, uploaded in chunks. */
async function attachText(api: CliApi, bytes: Uint8Array, name: string): Promise<CaptureEntry> {
  const { uploadId } = await api.call('attachments.begin', { name, mime: 'text/plain', size: bytes.length });
  for (let index = 0, offset = 0; offset < bytes.length; index++, offset += ATTACHMENT_CHUNK_BYTES) {
    await api.call('attachments.chunk', { uploadId, index, data: encodeBytes(bytes.subarray(offset, offset + ATTACHMENT_CHUNK_BYTES)) });
  }
  const info = await api.call('attachments.commit', { uploadId });
  if (info.size !== bytes.length) throw new OutpostError('internal', 'The attachment did not arrive whole; nothing was logged');
  return { kind: 'attachment', sha256: info.sha256, name: info.name, size: info.size, mime: info.mime };
}

const pad = (n: number) => String(n).padStart(2, '0');
/** The user's local date and time: a field log belongs to the day on site, not to UTC. */
export const localDate = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
export const localTime = (d: Date) => `${pad(d.getHours())}:${pad(d.getMinutes())}`;
const stamp = (d: Date) => `${localDate(d)}-${pad(d.getHours())}${pad(d.getMinutes())}`;
