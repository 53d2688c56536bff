import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  devToolsAllowed,
  isAppUrl,
  navigationAllowed,
  permissionAllowed,
  rendererFileFor,
  requestAllowed,
  WEBVIEWS_ALLOWED,
  windowOpenAllowed,
  withContentSecurityPolicy,
} from '../../../electron/app/security';
import { attachmentHeaders } from '../../../electron/host/attachment-response';
import { CONTENT_SECURITY_POLICY } from '../../../electron/host/static-files';
import { externalLinkPrompt } from '../../../shared/notes/link-policy';

describe('Electron lock-down rules', () => {
  it('recognises only the app’s own origin', () => {
    for (const url of ['app://outpost/index.html', 'app://outpost/', 'app://outpost/attachments/ab#x'])
      expect(isAppUrl(url), url).toBe(true);
    for (const url of [
      'app://outpost.evil/',
      'app://evil/outpost',
      'https://outpost/',
      'file:///app://outpost/',
      'app:outpost',
      'nonsense',
    ])
      expect(isAppUrl(url), url).toBe(false);
  });

  it('cancels every request but the app’s files (DevTools only in development)', () => {
    const packaged = { packaged: true };
    expect(requestAllowed('app://outpost/assets/index.js', packaged)).toBe(true);
    expect(requestAllowed('data:image/png;base64,AAAA', packaged)).toBe(true);
    for (const url of [
      'https://example.org/',
      'http://127.0.0.1:8080/api',
      'ws://10.0.0.5/',
      'file:///etc/passwd',
      'devtools://devtools/bundled/inspector.html',
      'blob:https://evil/1',
    ])
      expect(requestAllowed(url, packaged), url).toBe(false);
    expect(requestAllowed('devtools://devtools/bundled/inspector.html', { packaged: false })).toBe(true);
  });

  it('adds the app CSP to responses without one, and keeps an attachment’s sandbox CSP', () => {
    expect(withContentSecurityPolicy({ 'Content-Type': ['text/html'] })['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
    const attachment = attachmentHeaders({ mime: 'text/html', name: 'report.html', size: 10 });
    const kept = withContentSecurityPolicy(attachment);
    expect(kept['Content-Security-Policy']).toBe("default-src 'none'; sandbox");
    expect(withContentSecurityPolicy({ 'content-security-policy': ['sandbox'] })).toEqual({ 'content-security-policy': ['sandbox'] });
    expect(withContentSecurityPolicy(undefined)['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
  });

  it('grants no permission, opens no window, attaches no webview, stays on its pages', () => {
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'fullscreen',
      'openExternal',
      'hid',
      'serial',
      'unknown',
    ])
      expect(permissionAllowed(permission), permission).toBe(false);
    for (const url of ['https://example.org', 'app://outpost/index.html', 'javascript:alert(1)'])
      expect(windowOpenAllowed(url)).toBe(false);
    expect(WEBVIEWS_ALLOWED).toBe(false);
    expect(navigationAllowed('app://outpost/index.html#/notes/1')).toBe(true);
    for (const url of ['https://evil.example/', 'file:///tmp/x.html', 'app://other/', 'about:blank'])
      expect(navigationAllowed(url), url).toBe(false);
  });

  it('allows DevTools only in a development build', () => {
    expect(devToolsAllowed({ packaged: true })).toBe(false);
    expect(devToolsAllowed({ packaged: false })).toBe(true);
  });

  it('serves app:// paths from the renderer folder only', () => {
    const root = path.resolve('/opt/outpost/renderer');
    expect(rendererFileFor(root, '/assets/index-abc.js')).toEqual({ file: path.join(root, 'assets/index-abc.js'), fallback: false });
    expect(rendererFileFor(root, '/notes/123')).toEqual({ file: path.join(root, 'index.html'), fallback: true });
    expect(rendererFileFor(root, '/')).toEqual({ file: path.join(root, 'index.html'), fallback: true });
    for (const bad of ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/index.html%00.png', '/%E0%A4%A', `/${'a'.repeat(2000)}`])
      expect(rendererFileFor(root, bad), bad).toBeNull();
  });
});

describe('the confirmation before a link leaves the app', () => {
  it('names the host, not the link text, and the whole address', () => {
    expect(externalLinkPrompt('https://docs.example.org/a/b?c=1')).toMatchObject({
      host: 'docs.example.org',
      message: 'Open docs.example.org in your browser?',
    });
    expect(externalLinkPrompt('https://docs.example.org/a/b?c=1')?.detail).toContain('https://docs.example.org/a/b?c=1');
    expect(externalLinkPrompt('mailto:ops@example.org')?.message).toBe('Write an e-mail to ops@example.org?');
  });

  it('refuses what must not be opened: other schemes, the app’s routes, a user-info disguise', () => {
    for (const url of [
      'javascript:alert(1)',
      'file:///etc/passwd',
      'data:text/html,x',
      '#/notes/1',
      'https://trusted.example@evil.example/',
      'nonsense',
    ])
      expect(externalLinkPrompt(url), url).toBeNull();
  });
});
