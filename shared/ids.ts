import * as random from 'lib0/random';
import { z } from 'zod';

/** Kinds of Yjs documents; a document id is `<kind>:<uuid>` so its kind is known without loading it. */
export const DOC_KINDS = ['engagement', 'note', 'playbook'] as const;
export type DocKind = (typeof DOC_KINDS)[number];

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

export const uuidSchema = z.string().regex(new RegExp(`^${UUID}$`), 'Expected an id (a UUID)');
export const docIdSchema = z
  .string()
  .max(64)
  .regex(new RegExp(`^(${DOC_KINDS.join('|')}):${UUID}$`), 'Expected a document id such as note:<uuid>');

export function newId(): string {
  return random.uuidv4();
}

export function docIdFor(kind: DocKind, id: string): string {
  return `${kind}:${id}`;
}

export function parseDocId(docId: string): { kind: DocKind; id: string } {
  const [kind, id] = docId.split(':') as [DocKind, string];
  return { kind, id };
}
