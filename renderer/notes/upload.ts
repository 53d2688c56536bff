import { encodeBytes } from '../../shared/bytes';
import { ATTACHMENT_CHUNK_BYTES, type AttachmentInfo } from '../../shared/notes/calls';
import type { ApiClient } from '../api/client';

/** Uploads a file to the notebook's attachment store in chunks; resolves with its sha256 record. */
export async function uploadAttachment(
  api: ApiClient,
  file: Blob,
  name: string,
  onProgress?: (fraction: number) => void,
): Promise<AttachmentInfo> {
  const { uploadId } = await api.call('attachments.begin', {
    name: name || 'file',
    mime: file.type || 'application/octet-stream',
    size: file.size,
  });
  for (let offset = 0, index = 0; offset < file.size; offset += ATTACHMENT_CHUNK_BYTES, index++) {
    const bytes = new Uint8Array(await file.slice(offset, offset + ATTACHMENT_CHUNK_BYTES).arrayBuffer());
    await api.call('attachments.chunk', { uploadId, index, data: encodeBytes(bytes) });
    onProgress?.(Math.min(1, (offset + bytes.length) / Math.max(1, file.size)));
  }
  return api.call('attachments.commit', { uploadId });
}
