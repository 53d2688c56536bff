import type { JSONContent } from '@tiptap/core';
import type { EngagementSummary } from '../engagements/model';

/**
 * Quick capture into today's field log, from the app's shortcut or `outpost log`: which engagement
 * it goes to, and the blocks a captured entry becomes. Pure, so the app and the CLI agree.
 */

/**
 * Where a capture goes when no engagement is named: the one last shown (unless archived or closed
 * since), else the most recently updated active one, else the latest that is not closed.
 */
export function pickCaptureEngagement(engagements: EngagementSummary[], lastShown: string | null): string | undefined {
  const open = engagements.filter((e) => !e.archived && e.status !== 'closed').sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  return (open.find((e) => e.id === lastShown) ?? open.find((e) => e.status === 'active') ?? open[0])?.id;
}

export type CaptureEntry =
  | { kind: 'text'; text: string }
  /** A stack trace, `kubectl describe`, a SQL plan: kept verbatim in a code block. */
  | { kind: 'code'; text: string; language?: string | undefined }
  /** Input too large to paste, already stored as an attachment. */
  | { kind: 'attachment'; sha256: string; name: string; size: number; mime: string };

/** The blocks an entry becomes, after a paragraph that starts with the time ("14:05 — …"). */
export function captureBlocks(entry: CaptureEntry, time: string): JSONContent[] {
  const line = (text: string): JSONContent => ({ type: 'paragraph', content: text ? [{ type: 'text', text }] : [] });
  if (entry.kind === 'text') {
    const [first = '', ...rest] = entry.text.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n');
    return [line(`${time} — ${first}`), ...rest.map(line)];
  }
  if (entry.kind === 'code') {
    const text = entry.text.replace(/\r\n?/g, '\n').replace(/\n+$/, '');
    return [
      line(`${time} —`),
      { type: 'codeBlock', attrs: { language: entry.language ?? null }, content: text ? [{ type: 'text', text }] : [] },
    ];
  }
  return [
    line(`${time} — ${entry.name} (attached)`),
    { type: 'attachment', attrs: { sha: entry.sha256, name: entry.name, size: entry.size, mime: entry.mime } },
  ];
}
