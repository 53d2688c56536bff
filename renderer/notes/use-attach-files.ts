import type { EditorView } from '@tiptap/pm/view';
import { useRef, useState } from 'react';
import { attachmentUrl } from '../../shared/notes/nodes';
import type { ApiClient } from '../api/client';
import { uploadAttachment } from './upload';

const INLINE_IMAGES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/**
 * Uploads pasted, dropped or picked files and inserts each into the note: an image inline, any
 * other file as an attachment chip. Progress goes to `busy`, a failed upload to `problem` (the
 * other files still go in).
 */
export function useAttachFiles(api: ApiClient) {
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const attach = async (view: EditorView, files: File[], at?: number) => {
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
  // Editor handlers are bound once per editor; they reach the latest render through this.
  const latest = useRef(attach);
  latest.current = attach;
  const attachLatest = useRef((view: EditorView, files: File[], at?: number) => latest.current(view, files, at)).current;

  return { problem, setProblem, busy, attach: attachLatest };
}
