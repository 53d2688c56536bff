import { Editor } from '@tiptap/core';
import Collaboration from '@tiptap/extension-collaboration';
import { Placeholder } from '@tiptap/extensions';
import { common, createLowlight } from 'lowlight';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type * as Y from 'yjs';
import { docIdFor } from '../../shared/ids';
import { NOTE_KEYS } from '../../shared/notes/doc';
import { noteExtensions } from '../../shared/notes/schema';
import { useOutpost } from '../app/outpost-context';
import { systemHref } from '../app/use-hash-route';
import { glossaryDecorations } from '../stakeholders/glossary-decorations';
import { noteCodeBlock } from './code-highlight';
import { EditorToolbar } from './EditorToolbar';
import { editorInputHandlers } from './editor-input-handlers';
import { externalLinkClicks, openExternalLink } from './external-links';
import { ImageFind } from './image-find';
import { imageWithText } from './image-view';
import { LinkPopup, useLinkPopup } from './LinkPopup';
import { linkCandidates } from './link-candidates';
import { noteLinkSuggestion } from './note-link-suggestion';
import { noteLinkWithTitles } from './note-link-view';
import { NoteTitles } from './note-titles';
import { useAttachFiles } from './use-attach-files';
import './note-editor.css';

const lowlight = createLowlight(common);

let titles: NoteTitles | null = null;

interface Props {
  doc: Y.Doc;
  noteId: string;
  engagementId: string;
  /** The search the note was opened from: images whose text answers it are highlighted. */
  find?: string;
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
export function NoteEditor({ doc, noteId, engagementId, find, onReady }: Props) {
  const { api, replicas } = useOutpost();
  titles ??= new NoteTitles(api);
  const { problem, setProblem, busy, attach } = useAttachFiles(api);
  const linkPopup = useLinkPopup();
  const fileInput = useRef<HTMLInputElement>(null);
  const mount = useRef<HTMLDivElement>(null);
  const [editor, setEditor] = useState<Editor | null>(null);
  const [imageFind] = useState(() => new ImageFind());

  // Before the editor is made (effects run in order), so its images are drawn with the search at once.
  useLayoutEffect(() => imageFind.set(find), [imageFind, find]);

  useLayoutEffect(() => {
    const place = mount.current;
    if (!place) return;
    // Built off the page, then put in place: ProseMirror reads the DOM selection after each
    // update, which in the page forces a style and layout pass of the whole note (twice while it
    // is created); off the page that is skipped, and the browser lays the note out once, in its
    // next frame.
    const element = document.createElement('div');
    // The engagement's replica holds its glossary, whose terms are underlined with their definition.
    const engagementDocId = docIdFor('engagement', engagementId);
    const engagementReplica = replicas.acquire(engagementDocId);
    const instance = new Editor({
      element,
      extensions: [
        ...noteExtensions({ codeBlock: noteCodeBlock(lowlight) }).filter((e) => e.name !== 'noteLink' && e.name !== 'image'),
        noteLinkWithTitles(titles as NoteTitles, (id) => systemHref(engagementId, id)),
        imageWithText(imageFind),
        Collaboration.configure({ document: doc, field: NOTE_KEYS.body }),
        glossaryDecorations(engagementReplica.doc),
        externalLinkClicks((href) => void openExternalLink(api, href).then((message) => message && setProblem(message))),
        Placeholder.configure({ placeholder: 'Write here. Type [[ to link a note; paste or drop files to attach them.' }),
        noteLinkSuggestion({
          items: (query) => linkCandidates(api, { engagementId, noteId, engagementDoc: engagementReplica.doc }, query),
          onState: linkPopup.onState,
          onKeyDown: linkPopup.onKeyDown,
        }),
      ],
      // tiptap would inject a <style> element, which the CSP forbids; styles.css carries the rules.
      injectCSS: false,
      editorProps: {
        attributes: { 'aria-label': 'Note body', role: 'textbox', 'aria-multiline': 'true', class: 'prose' },
        ...editorInputHandlers(attach, setProblem),
      },
    });
    place.append(element);
    setEditor(instance);
    return () => {
      setEditor(null);
      linkPopup.close();
      instance.destroy();
      element.remove();
      replicas.release(engagementDocId);
    };
  }, [api, doc, engagementId, noteId, replicas, attach, setProblem, linkPopup.onState, linkPopup.onKeyDown, linkPopup.close, imageFind]);

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
          if (files.length && editor) void attach(editor.view, files);
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
      {linkPopup.popup && <LinkPopup popup={linkPopup.popup} selected={linkPopup.selected} />}
    </div>
  );
}
