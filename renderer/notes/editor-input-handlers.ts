import type { EditorProps, EditorView } from '@tiptap/pm/view';
import { detectLogKind, LOG_LANGUAGE_PREFIX } from '../../shared/debugging/kinds';
import { formatBytes } from '../../shared/notes/nodes';
import { navigate } from '../app/use-hash-route';

/** Pasted text above this size becomes a text attachment: a 10 MB paste would stall any editor. */
const MAX_PASTE_CHARS = 1_000_000;

type Attach = (view: EditorView, files: File[], at?: number) => Promise<void>;

/**
 * How the note body takes what comes from outside the keyboard: pasted or dropped files are
 * attached where they land, an oversized paste becomes a text attachment (with a message saying
 * so), a pasted log or stack trace becomes a log block (a code block naming its kind, kept
 * verbatim), and a click on a note link opens that note.
 */
export function editorInputHandlers(attach: Attach, tell: (message: string) => void): EditorProps {
  return {
    handlePaste: (view, event) => {
      const files = [...(event.clipboardData?.files ?? [])];
      if (files.length) {
        void attach(view, files);
        return true;
      }
      const text = event.clipboardData?.getData('text/plain') ?? '';
      if (text.length > MAX_PASTE_CHARS) {
        const file = new File([text], 'pasted-text.txt', { type: 'text/plain' });
        tell(`The pasted text is ${formatBytes(file.size)}; it was attached as a text file instead of inserted.`);
        void attach(view, [file]);
        return true;
      }
      return pasteLogBlock(view, text);
    },
    handleDrop: (view, event, _slice, moved) => {
      const files = [...((event as DragEvent).dataTransfer?.files ?? [])];
      if (moved || !files.length) return false;
      const pos = view.posAtCoords({ left: (event as DragEvent).clientX, top: (event as DragEvent).clientY })?.pos;
      void attach(view, files, pos);
      return true;
    },
    handleClickOn: (_view, _pos, node, _nodePos, event) => {
      if (node.type.name !== 'noteLink' || !node.attrs.id) return false;
      event.preventDefault();
      navigate(`#/notes/${node.attrs.id}`);
      return true;
    },
  };
}

/**
 * Several pasted lines that read as a log or a trace (shared/debugging/kinds.ts) become one code
 * block whose language names the kind (`log:java-trace`): verbatim, searchable, and the source of
 * the note's error signatures. Inside a code block a paste stays plain text.
 */
function pasteLogBlock(view: EditorView, text: string): boolean {
  const { state } = view;
  if (state.selection.$from.parent.type.spec.code) return false;
  if (text.split('\n').filter((line) => line.trim()).length < 2) return false;
  const kind = detectLogKind(text);
  const codeBlock = state.schema.nodes.codeBlock;
  if (!kind || !codeBlock) return false;
  const block = codeBlock.create({ language: `${LOG_LANGUAGE_PREFIX}${kind}` }, state.schema.text(text.replace(/\r\n?/g, '\n')));
  view.dispatch(state.tr.replaceSelectionWith(block).scrollIntoView());
  return true;
}
