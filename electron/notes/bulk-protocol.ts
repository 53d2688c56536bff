import type { NewNoteContent } from '../../shared/notes/doc';
import type { BuiltDoc } from '../docs/doc-store';
import type { NoteVectors } from './note-vectors';

/** The text the search vectors are made of. */
export interface VectorSource {
  title: string;
  tags: string[];
  body: string;
}

/** A new note to build: its document id, metadata, and body as Markdown or as note JSON. */
export interface NoteSpec extends NewNoteContent {
  docId: string;
}

export type BulkRequest =
  | { id: number; kind: 'vectors'; notes: VectorSource[] }
  /** `tables`: the projections of notes, in the order the caller keeps them; `updatedAt`: the arrival time the rows carry. */
  | { id: number; kind: 'build'; notes: NoteSpec[]; tables: string[]; updatedAt: string };

export type BulkResponse =
  | { ready: true }
  | { id: number; vectors: NoteVectors[] }
  | { id: number; built: BuiltDoc[] }
  | { id: number; error: string };
