import { queryTerms } from './ocr-match';

/**
 * The search a note was opened from (Ctrl+K, `?find=` in its address), shared by the image views
 * of one editor. It lives outside the editor's extensions on purpose: a new search must repaint
 * the highlights, not rebuild the editor (which redraws the whole note).
 */
export class ImageFind {
  /** The query's words (see ocr-match.ts); none when the note was not opened from a search. */
  terms: string[] = [];
  private key = '';
  private scrolled = false;
  private readonly listeners = new Set<() => void>();

  set(query: string | undefined): void {
    const terms = queryTerms(query ?? '');
    const key = terms.join(' ');
    if (key === this.key) return;
    this.terms = terms;
    this.key = key;
    this.scrolled = false;
    for (const listener of this.listeners) listener();
  }

  /** Identifies the current search: an image view opens its text once per search, not on every repaint. */
  get id(): string {
    return this.key;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** True for the first caller per search: only the first matching image scrolls itself into view. */
  claimScroll(): boolean {
    if (this.scrolled) return false;
    this.scrolled = true;
    return true;
  }
}
