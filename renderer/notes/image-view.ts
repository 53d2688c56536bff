import type { NodeViewRendererProps } from '@tiptap/core';
import type { Node as PmNode } from '@tiptap/pm/model';
import type { NodeView, ViewMutationRecord } from '@tiptap/pm/view';
import { NoteImage } from '../../shared/notes/nodes';
import type { ImageFind } from './image-find';
import { markedRuns, ocrMatches } from './ocr-match';
import './image-view.css';

/** The image attributes drawn on <img> (ocrText is not: it is shown in the panel below it). */
const IMG_ATTRS = ['src', 'alt', 'title', 'width', 'height'] as const;

let views = 0;

/**
 * An image in the note with, under it, the text read from it (offline OCR in the main process,
 * written into the note as the node's `ocrText`): a "Text in image" button opens a read-only,
 * selectable panel. The text arrives while the note may be open, through Yjs, so `update` repaints
 * in place. When the note was opened from a search that the image's text answers, the image is
 * outlined, its panel opened with the words marked, and the first such image scrolled to.
 */
class ImageTextView implements NodeView {
  readonly dom: HTMLElement;
  private readonly img: HTMLImageElement;
  /** The button, the "found" note and the panel: ours, not the document's (see stopEvent). */
  private readonly controls: HTMLElement;
  private readonly toggle: HTMLButtonElement;
  private readonly found: HTMLElement;
  private readonly panel: HTMLElement;
  private open = false;
  /** The search this image last opened its panel for: the user may close it again, and it stays closed. */
  private openedFor = '';
  private readonly offFind: () => void;

  constructor(
    private node: PmNode,
    private readonly find: ImageFind,
  ) {
    const id = `note-image-text-${++views}`;
    this.dom = document.createElement('div');
    this.dom.className = 'note-image';
    // Nothing in here is text of the note: typing must not land in the button or the panel.
    this.dom.contentEditable = 'false';
    this.img = document.createElement('img');

    this.controls = document.createElement('div');
    this.controls.className = 'note-image-controls';
    this.toggle = document.createElement('button');
    this.toggle.type = 'button';
    this.toggle.id = `${id}-toggle`;
    this.toggle.className = 'note-image-toggle';
    this.toggle.textContent = 'Text in image';
    this.toggle.setAttribute('aria-controls', id);
    this.toggle.addEventListener('click', () => {
      this.open = !this.open;
      this.paint();
    });
    this.found = document.createElement('span');
    this.found.className = 'note-image-found';
    this.found.textContent = 'Matches your search';
    this.panel = document.createElement('div');
    this.panel.id = id;
    this.panel.className = 'note-image-text';
    this.panel.setAttribute('role', 'region');
    this.panel.setAttribute('aria-labelledby', this.toggle.id);
    // The text may arrive while the panel is open ("Reading…" becomes the text): say so.
    this.panel.setAttribute('aria-live', 'polite');
    // The image node is draggable, which would turn selecting the panel's text with the mouse into
    // dragging the image: not draggable while a press in the panel lasts.
    this.panel.addEventListener('mousedown', () => {
      this.dom.draggable = false;
      document.addEventListener('mouseup', () => (this.dom.draggable = true), { once: true });
    });
    this.controls.append(this.toggle, this.found, this.panel);
    this.dom.append(this.img, this.controls);

    this.offFind = find.subscribe(() => this.paint());
    this.paint();
  }

  update(node: PmNode): boolean {
    if (node.type !== this.node.type) return false;
    this.node = node;
    this.paint();
    return true;
  }

  /** Clicks, keys and selection in the button and the panel are theirs, not the editor's. */
  stopEvent(event: Event): boolean {
    return event.target instanceof Node && this.controls.contains(event.target);
  }

  /**
   * Every DOM change in here is ours. A selection in the panel must not be read back as an editor
   * selection (ProseMirror would move it onto the image); one on the image itself still selects it.
   */
  ignoreMutation(mutation: ViewMutationRecord): boolean {
    return mutation.type !== 'selection' || this.controls.contains(mutation.target);
  }

  destroy(): void {
    this.offFind();
  }

  private paint(): void {
    const attrs = this.node.attrs;
    for (const name of IMG_ATTRS) {
      const value = attrs[name] === null || attrs[name] === undefined ? null : String(attrs[name]);
      // Only what changed: setting `src` again would make the browser fetch the image again.
      if (this.img.getAttribute(name) !== value) {
        if (value === null) this.img.removeAttribute(name);
        else this.img.setAttribute(name, value);
      }
    }
    // Every image's button has the same name; its description says which image it is about.
    this.toggle.title = attrs.alt ? `The text read from ${attrs.alt}` : 'The text read from this image';
    const text = typeof attrs.ocrText === 'string' ? attrs.ocrText : null;
    const matched = ocrMatches(text, this.find.terms);
    if (matched && this.openedFor !== this.find.id) {
      this.openedFor = this.find.id;
      this.open = true;
    }
    this.dom.classList.toggle('ocr-match', matched);
    this.found.hidden = !matched;
    this.toggle.setAttribute('aria-expanded', String(this.open));
    this.panel.hidden = !this.open;
    if (this.open) this.fill(text, matched ? this.find.terms : []);
    if (matched && this.find.claimScroll()) {
      // Views are made before the editor is on the page: scroll once it has been laid out.
      requestAnimationFrame(() => this.dom.scrollIntoView({ block: 'center' }));
    }
  }

  /** The panel's text, as text nodes (never parsed as HTML), the searched words in <mark>. */
  private fill(text: string | null, terms: string[]): void {
    if (text === null || text === '') {
      const note = document.createElement('span');
      note.className = 'muted';
      note.textContent = text === null ? 'Reading the text in this image…' : 'No text could be read from this image.';
      this.panel.replaceChildren(note);
      return;
    }
    this.panel.replaceChildren(
      ...markedRuns(text, terms).map((run) => {
        if (!run.marked) return document.createTextNode(run.text);
        const mark = document.createElement('mark');
        mark.textContent = run.text;
        return mark;
      }),
    );
  }
}

/** The note schema's image node, drawn with its text panel; `find` is the editor's current search. */
export function imageWithText(find: ImageFind) {
  return NoteImage.extend({
    addNodeView() {
      return ({ node }: NodeViewRendererProps) => new ImageTextView(node, find);
    },
  });
}
