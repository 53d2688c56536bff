import * as Y from 'yjs';
import { encodeHaveFile } from '../../shared/sync/have-file';
import type { Notebook } from '../notebook/notebook';

/**
 * The notebook's "have" file: per document, a Yjs snapshot of what it holds (no content), so a
 * peer behind a one-way link writes a bundle with only what is missing here.
 */
export async function haveFileOf(notebook: Notebook): Promise<{ text: string; docs: number }> {
  await notebook.docs.flush();
  const docs = new Map<string, Uint8Array>();
  for (const docId of await notebook.docs.listDocIds()) {
    const doc = await notebook.docs.currentCopy(docId);
    if (!doc) continue;
    docs.set(docId, Y.encodeSnapshot(Y.snapshot(doc)));
    doc.destroy();
  }
  const text = encodeHaveFile({
    deviceId: notebook.device.deviceId,
    deviceName: notebook.device.name,
    notebookId: notebook.settings.notebookId,
    createdAt: new Date().toISOString(),
    docs,
  });
  return { text, docs: docs.size };
}
