import { Editor } from '@tiptap/core';
import Collaboration from '@tiptap/extension-collaboration';
import { Placeholder } from '@tiptap/extensions';
import type { EditorView } from '@tiptap/pm/view';
import type { SuggestionProps } from '@tiptap/suggestion';
import { common, createLowlight } from 'lowlight';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type * as Y from 'yjs';
import { docIdFor } from '../../shared/ids';
import { NOTE_KEYS } from '../../shared/notes/doc';
import { attachmentUrl, formatBytes } from '../../shared/notes/nodes';
import { noteExtensions } from '../../shared/notes/schema';
import { useOutpost } from '../app/outpost-context';
import { navigate, systemHref } from '../app/use-hash-route';
import { glossaryCandidates, glossaryDecorations } from '../stakeholders/glossary-decorations';
import { noteCodeBlock } from './code-highlight';
import { EditorToolbar } from './EditorToolbar';
import { externalLinkClicks, openExternalLink } from './external-links';
import { type LinkCandidate, noteLinkSuggestion } from './note-link-suggestion';
import { noteLinkWithTitles } from './note-link-view';
import { NoteTitles } from './note-titles';
import { uploadAttachment } from './upload';
import './note-editor.css';

const lowlight = createLowlight(common);
const INLINE_IMAGES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
/** Pasted text above this size becomes a text attachment: a 10 MB paste would stall any editor. */
const MAX_PASTE_CHARS = 1_000_000;

let titles: NoteTitles | null = null;

interface Props {
  doc: Y.Doc;
  noteId: string;
  engagementId: string;
  /** Called once the editor exists (the view uses it to append a field-log line). */
  onReady?(editor: Editor): void;
}

/**
 * The rich-text body of a note, bound to the note's Y.Doc (its `body` XmlFragment).
 *
 * The editor is created here and its DOM put in place once, rather than with @tiptap/react's
 * useEditor + EditorContent: on mount EditorContent hands ProseMirror freshly made node-view
 * functions, which makes it throw away and redraw the whole document (and on unmount it does so
 * once more). For a 50,000-word note that was most of the time it took to open and to leave. No
 * node view here is a React component, so nothing needs EditorContent's portals.
 */
export function NoteEditor({ doc, noteId, engagementId, onReady }: Props) {
  const { api, replicas } = useOutpost();
  titles ??= new NoteTitles(api);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [popup, setPopup] = useState<SuggestionProps<LinkCandidate, LinkCandidate> | null>(null);
  const [selected, setSelected] = useState(0);
  const popupRef = useRef({ popup, selected });
  popupRef.current = { popup, selected };
  const fileInput = useRef<HTMLInputElement>(null);

  const insertFiles = async (view: EditorView, files: File[], at?: number) => {
    setProblem(null);
    for (const file of files) {
      setBusy(`Attaching ${file.name || 'file'}…`);
      try {
        const info = await uploadAttachment(api, file, file.name || 'pasted-file', (f) =>
          setBusy(`Attaching ${file.name} (${Math.round(f * 100)}%)…`),
        );
        const node = INLINE_IMAGES.has(info.mime)
          ? view.state.schema.nodes.image?.create({ src: attachmentUrl(info.sha256), alt: info.name })
          : view.state.schema.nodes.attachment?.create({ sha: info.sha256, name: info.name, size: info.size, mime: info.mime });
        if (node) view.dispatch(view.state.tr.insert(at ?? view.state.selection.to, node));
      } catch (error) {
        setProblem((error as Error).message);
      }
    }
    setBusy(null);
  };

  const mount = useRef<HTMLDivElement>(null);
  const [editor, setEditor] = useState<Editor | null>(null);
  // The handlers below are bound once per editor; they reach the latest render through this.
  const insertFilesRef = useRef(insertFiles);
  insertFilesRef.current = insertFiles;

  useLayoutEffect(() => {
    const place = mount.current;
    if (!place) return;
    // Built off the page, then put in place: ProseMirror reads the DOM selection after each
    // update, which in the page forces a style and layout pass of the whole note (twice while it
    // is created); off the page that is skipped, and the browser lays the note out once, in its
    // next frame.
    const element = document.createElement('div');
    const insert = (view: EditorView, files: File[], at?: number) => insertFilesRef.current(view, files, at);
    // The engagement's replica holds its glossary, whose terms are underlined with their definition.
    const engagementDocId = docIdFor('engagement', engagementId);
    const engagementReplica = replicas.acquire(engagementDocId);
    const instance = new Editor({
      element,
      extensions: [
        ...noteExtensions({ codeBlock: noteCodeBlock(lowlight) }).filter((e) => e.name !== 'noteLink'),
        noteLinkWithTitles(titles as NoteTitles, (id) => systemHref(engagementId, id)),
        Collaboration.configure({ document: doc, field: NOTE_KEYS.body }),
        glossaryDecorations(engagementReplica.doc),
        externalLinkClicks((href) => void openExternalLink(api, href).then((message) => message && setProblem(message))),
        Placeholder.configure({ placeholder: 'Write here. Type [[ to link a note; paste or drop files to attach them.' }),
        noteLinkSuggestion({
          items: async (query) => {
            // Systems of this engagement's map first: a note often names the system it is about.
            const systems: LinkCandidate[] = query.trim()
              ? (await api.call('map.findSystems', { engagementId, query, limit: 5 })).systems.map((s) => ({
                  id: s.id,
                  title: s.name,
                  detail: `system · ${s.kind}`,
                  kind: 'system' as const,
                }))
              : [];
            const terms = glossaryCandidates(engagementReplica.doc, query);
            const candidates = query.trim()
              ? (await api.call('notes.search', { query, limit: 8 })).hits.map((h) => ({
                  id: h.note.id,
                  title: h.note.title || 'Untitled',
                  detail: h.engagementCodename,
                }))
              : (await api.call('notes.list', { engagementId, limit: 8 })).notes.map((n) => ({
                  id: n.id,
                  title: n.title || 'Untitled',
                  detail: n.type,
                }));
            return [...systems, ...candidates.filter((c) => c.id !== noteId), ...terms];
          },
          onState: (state) => {
            setPopup(state);
            setSelected(0);
          },
          onKeyDown: (event) => {
            const { popup: current, selected: index } = popupRef.current;
            if (!current?.items.length) return false;
            if (event.key === 'ArrowDown') setSelected((index + 1) % current.items.length);
            else if (event.key === 'ArrowUp') setSelected((index - 1 + current.items.length) % current.items.length);
            else if (event.key === 'Enter' || event.key === 'Tab') current.command(current.items[index] as LinkCandidate);
            else if (event.key === 'Escape') setPopup(null);
            else return false;
            return true;
          },
        }),
      ],
      // tiptap would inject a <style> element, which the CSP forbids; styles.css carries the rules.
      injectCSS: false,
      editorProps: {
        attributes: { 'aria-label': 'Note body', role: 'textbox', 'aria-multiline': 'true', class: 'prose' },
        handlePaste: (view, event) => {
          const files = [...(event.clipboardData?.files ?? [])];
          if (files.length) {
            void insert(view, files);
            return true;
          }
          const text = event.clipboardData?.getData('text/plain') ?? '';
          if (text.length > MAX_PASTE_CHARS) {
            const file = new File([text], 'pasted-text.txt', { type: 'text/plain' });
            setProblem(`The pasted text is ${formatBytes(file.size)}; it was attached as a text file instead of inserted.`);
            void insert(view, [file]);
            return true;
          }
          return false;
        },
        handleDrop: (view, event, _slice, moved) => {
          const files = [...((event as DragEvent).dataTransfer?.files ?? [])];
          if (moved || !files.length) return false;
          const pos = view.posAtCoords({ left: (event as DragEvent).clientX, top: (event as DragEvent).clientY })?.pos;
          void insert(view, files, pos);
          return true;
        },
        handleClickOn: (_view, _pos, node, _nodePos, event) => {
          if (node.type.name !== 'noteLink' || !node.attrs.id) return false;
          event.preventDefault();
          navigate(`#/notes/${node.attrs.id}`);
          return true;
        },
      },
    });
    place.append(element);
    setEditor(instance);
    return () => {
      setEditor(null);
      setPopup(null);
      instance.destroy();
      element.remove();
      replicas.release(engagementDocId);
    };
  }, [api, doc, engagementId, noteId, replicas]);

  useEffect(() => {
    if (editor && onReady) onReady(editor);
  }, [editor, onReady]);

  return (
    <div className="note-editor">
      {editor && <EditorToolbar editor={editor} onAttach={() => fileInput.current?.click()} />}
      <input
        ref={fileInput}
        type="file"
        multiple
        hidden
        aria-label="Attach files"
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = '';
          if (files.length && editor) void insertFiles(editor.view, files);
        }}
      />
      {busy && (
        <p role="status" className="muted">
          {busy}
        </p>
      )}
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
      <div ref={mount} className="note-editor-body" />
      {popup && (
        <div
          className="link-popup"
          role="listbox"
          aria-label="Link to a note"
          style={{ left: popup.clientRect?.()?.left ?? 0, top: (popup.clientRect?.()?.bottom ?? 0) + 4 }}
        >
          {popup.items.length === 0 && <div className="muted">No matching note</div>}
          {popup.items.map((item, index) => (
            <div
              key={item.id}
              role="option"
              tabIndex={-1}
              aria-selected={index === selected}
              className={index === selected ? 'option selected' : 'option'}
              onMouseDown={(e) => {
                e.preventDefault();
                popup.command(item);
              }}
            >
              <span>{item.title}</span> <span className="muted">{item.detail}</span>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
