import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTempNotebook } from '../../helpers/notebook';

const sha = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

describe('AttachmentStore', () => {
  it('stores files once by sha256, in chunks, and describes them', async () => {
    const notebook = await openTempNotebook();
    const data = new Uint8Array(3 * 1024 * 1024 + 17).map((_, i) => i % 251);
    const id = notebook.attachments.begin('conn', 'erp.log', 'text/plain', data.length);
    for (let offset = 0, index = 0; offset < data.length; offset += 1024 * 1024, index++) {
      notebook.attachments.chunk('conn', id, index, data.slice(offset, offset + 1024 * 1024));
    }
    const info = await notebook.attachments.commit('conn', id);
    expect(info).toEqual({ sha256: sha(data), size: data.length, mime: 'text/plain', name: 'erp.log' });
    expect(sha(fs.readFileSync(notebook.attachments.pathOf(info.sha256)))).toBe(info.sha256);
    const again = await notebook.attachments.put('copy.log', 'text/plain', data);
    expect(again.sha256).toBe(info.sha256);
    expect(fs.readdirSync(path.dirname(notebook.attachments.pathOf(info.sha256)))).toHaveLength(1);
  });

  it('refuses files above the limit with a clear error, and leaves nothing behind', async () => {
    const notebook = await openTempNotebook();
    await notebook.settings.setAttachmentMaxBytes(1024 * 1024);
    expect(() => notebook.attachments.begin('conn', 'huge.bin', 'application/octet-stream', 2 * 1024 * 1024)).toThrow(
      /“huge.bin” is 2.0 MB; attachments are limited to 1.0 MB/,
    );
    const id = notebook.attachments.begin('conn', 'liar.bin', 'application/octet-stream', 10);
    expect(() => notebook.attachments.chunk('conn', id, 0, new Uint8Array(11))).toThrow(/larger than announced/);
    const gap = notebook.attachments.begin('conn', 'gap.bin', 'application/octet-stream', 10);
    expect(() => notebook.attachments.chunk('conn', gap, 1, new Uint8Array(5))).toThrow(/out of order/);
    const short = notebook.attachments.begin('conn', 'short.bin', 'application/octet-stream', 10);
    notebook.attachments.chunk('conn', short, 0, new Uint8Array(5));
    await expect(notebook.attachments.commit('conn', short)).rejects.toThrow(/incomplete/);
    expect(() => notebook.attachments.chunk('other-connection', id, 0, new Uint8Array(1))).toThrow(/No such upload/);
    const tmp = path.join(notebook.dir, 'attachments', 'tmp');
    expect(fs.existsSync(tmp) ? fs.readdirSync(tmp) : []).toEqual([]);
    const rows = await notebook.db.query('SELECT * FROM attachments');
    expect(rows.rows).toEqual([]);
  });

  it('cancels a connection’s uploads when it goes away', async () => {
    const notebook = await openTempNotebook();
    notebook.attachments.begin('gone', 'a.bin', 'application/octet-stream', 100);
    notebook.attachments.abortUploads('gone');
    expect(fs.readdirSync(path.join(notebook.dir, 'attachments', 'tmp'))).toEqual([]);
  });
});
