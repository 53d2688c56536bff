import { describe, expect, it, vi } from 'vitest';
import { ApiServer } from '../../../electron/api/api-server';
import { openTempNotebook } from '../../helpers/notebook';

describe('opening a link outside the app', () => {
  it('is refused in offline mode (the default), with a way out named', async () => {
    const notebook = await openTempNotebook();
    const opener = vi.fn(async () => true);
    const session = new ApiServer(notebook, { linkOpener: opener }).connect(() => {});
    expect(await session.call('notebook.info', {})).toMatchObject({ ok: true, value: { externalLinks: 'never' } });
    const refused = await session.call('links.openExternal', { url: 'https://example.org/' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'offline_mode', message: expect.stringMatching(/offline mode.*Settings/) } });
    expect(opener).not.toHaveBeenCalled();
  });

  it('asks through the desktop app’s opener once allowed, naming the host; the page asks in browser mode', async () => {
    const notebook = await openTempNotebook();
    const opener = vi.fn(async () => false);
    const desktop = new ApiServer(notebook, { linkOpener: opener }).connect(() => {});
    expect(await desktop.call('notebook.setExternalLinks', { mode: 'ask' })).toMatchObject({ ok: true, value: { externalLinks: 'ask' } });
    expect(await desktop.call('links.openExternal', { url: 'https://docs.example.org/x' })).toMatchObject({
      ok: true,
      value: { outcome: 'declined', host: 'docs.example.org' },
    });
    expect(opener).toHaveBeenCalledWith(
      'https://docs.example.org/x',
      expect.objectContaining({ message: 'Open docs.example.org in your browser?' }),
    );

    const browser = new ApiServer(notebook).connect(() => {});
    expect(await browser.call('links.openExternal', { url: 'https://docs.example.org/x' })).toMatchObject({
      ok: true,
      value: { outcome: 'confirm-in-page' },
    });
    for (const url of ['javascript:alert(1)', 'file:///etc/passwd', 'https://a.example@b.example/'])
      expect(await browser.call('links.openExternal', { url })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    // The setting is the notebook's: it survives a reopen.
    expect(notebook.settings.externalLinks).toBe('ask');
  });
});
