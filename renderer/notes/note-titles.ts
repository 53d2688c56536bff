import type { ApiClient } from '../api/client';

/**
 * Current titles of linked notes, so a [[link]] shows the title of today even after a rename
 * (links are stored by id). Cached per note and dropped whenever that note changes.
 */
export class NoteTitles {
  private readonly cache = new Map<string, Promise<string | null>>();
  private readonly listeners = new Set<(id: string) => void>();

  constructor(private readonly api: ApiClient) {
    api.on('notes.changed', ({ ids }) => {
      for (const id of ids) {
        this.cache.delete(id);
        for (const listener of this.listeners) listener(id);
      }
    });
  }

  title(id: string): Promise<string | null> {
    let entry = this.cache.get(id);
    if (!entry) {
      entry = this.api.call('notes.get', { id }).then(
        (note) => note.title || 'Untitled',
        () => null,
      );
      this.cache.set(id, entry);
    }
    return entry;
  }

  onChange(listener: (id: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
