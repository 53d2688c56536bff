import { useEffect, useRef, useState } from 'react';
import { encodeBytes } from '../../shared/bytes';
import { BUNDLE_CHUNK_BYTES, type BundleInspection, MAX_BUNDLE_BYTES } from '../../shared/sync/calls';
import type { ApiClient } from '../api/client';
import { errorLines } from '../app/modal';
import { formatSize } from './sync-format';

/**
 * A picked .outpost file uploaded in chunks to this connection, then its header read. A newer pick
 * (`generation`) makes an older one's late answers irrelevant; leaving the view discards the upload.
 */
interface UploadCallbacks {
  /** A new file was picked (or the pick cleared): what was shown for the last one goes. */
  onPicked(): void;
  onInspected(inspection: BundleInspection): void;
  setErrors(errors: string[]): void;
}

export function useBundleUpload(api: ApiClient, { onPicked, onInspected, setErrors }: UploadCallbacks) {
  const uploadRef = useRef<string | null>(null);
  const generation = useRef(0);
  const [uploading, setUploading] = useState(false);
  const [progress, setProgress] = useState(0);
  const [inspection, setInspection] = useState<BundleInspection | null>(null);

  const discard = () => {
    const uploadId = uploadRef.current;
    uploadRef.current = null;
    if (uploadId) api.call('bundles.uploadDiscard', { uploadId }).catch(() => {});
  };
  // Leaving the view forgets the uploaded bundle (closing the connection would, too).
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once per api; discard reads a ref
  useEffect(() => () => discard(), [api]);

  const pick = async (file: File | undefined) => {
    const mine = ++generation.current;
    discard();
    setInspection(null);
    onPicked();
    if (!file) return;
    if (file.size === 0) return setErrors([`${file.name} is empty: it is not an Outpost bundle`]);
    if (file.size > MAX_BUNDLE_BYTES)
      return setErrors([`${file.name} is ${formatSize(file.size)}; Outpost reads bundles up to 1 GB. Ask for one per engagement.`]);
    setUploading(true);
    setProgress(0);
    try {
      const { uploadId } = await api.call('bundles.uploadBegin', { name: file.name.slice(0, 255), size: file.size });
      uploadRef.current = uploadId;
      for (let offset = 0, index = 0; offset < file.size; offset += BUNDLE_CHUNK_BYTES, index++) {
        if (mine !== generation.current) return;
        const bytes = new Uint8Array(await file.slice(offset, offset + BUNDLE_CHUNK_BYTES).arrayBuffer());
        await api.call('bundles.uploadChunk', { uploadId, index, data: encodeBytes(bytes) });
        setProgress((offset + bytes.length) / file.size);
      }
      const inspected = await api.call('bundles.inspect', { uploadId });
      if (mine !== generation.current) return;
      setInspection(inspected);
      onInspected(inspected);
    } catch (error) {
      if (mine === generation.current) setErrors(errorLines(error));
    } finally {
      if (mine === generation.current) setUploading(false);
    }
  };

  /** The upload was imported: the main process has let go of it. */
  const consumed = () => {
    uploadRef.current = null;
  };
  return { uploadRef, generation, uploading, progress, inspection, pick, consumed };
}
