import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { frame, sendAndWaitClose, startTestHost, type TestHost } from './host-client';

const require = createRequire(import.meta.url);
let t: TestHost;
beforeAll(async () => {
  t = await startTestHost();
}, 60_000);

/** The findings of the browser-host review, one test each: every one failed on the code before. */
describe('browser host: nothing a request sends can crash it', () => {
  it('answers a NUL byte in the path with 400, signed in or not, and keeps serving', async () => {
    for (const cookie of ['', `Cookie: ${t.cookie}\r\n`]) {
      const reply = await t.raw(`GET /index.html%00.png HTTP/1.1\r\nHost: 127.0.0.1:${t.port}\r\n${cookie}Connection: close\r\n\r\n`);
      expect(reply.split('\r\n')[0]).toMatch(/^HTTP\/1\.1 (400|401) /);
    }
    const nul = await t.raw(
      `GET /index.html%00.png HTTP/1.1\r\nHost: 127.0.0.1:${t.port}\r\nCookie: ${t.cookie}\r\nConnection: close\r\n\r\n`,
    );
    expect(nul.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
    expect(t.alive()).toBe(true);
    expect(await t.validCall()).toMatchObject({ id: 1, ok: true });
  });

  it.each([
    ['invalid UTF-8 in a text frame', frame({ opcode: 1, payload: Buffer.from([0xc3, 0x28, 0xa0, 0xa1]) })],
    ['an unmasked client frame', frame({ opcode: 1, payload: Buffer.from('{"id":1}'), mask: false })],
    ['RSV1 set without an extension', frame({ opcode: 1, payload: Buffer.from('{}'), rsv: 4 })],
    ['a 64-bit length over the limit', frame({ opcode: 2, payload: Buffer.alloc(0), length: 2n ** 62n })],
  ])('closes the one connection that sends %s, and serves the next', async (_name, bytes) => {
    const bystander = new WebSocket(`ws://127.0.0.1:${t.port}/api`, { origin: t.origin, headers: { cookie: t.cookie } });
    await new Promise((resolve) => bystander.once('open', resolve));
    const socket = await t.upgraded();
    expect(await sendAndWaitClose(socket, bytes)).toBe(true);
    expect(bystander.readyState).toBe(WebSocket.OPEN);
    bystander.close();
    expect(t.alive()).toBe(true);
    expect(await t.validCall()).toMatchObject({ id: 1, ok: true });
  });
});

describe('browser host: a secret for every connection', () => {
  it('refuses the API to a process that forges the Origin but has no session', async () => {
    const refused = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${t.port}/api`, { origin: t.origin });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
      ws.on('error', () => {});
    });
    expect(refused).toBe(401);
    const wrongCookie = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${t.port}/api`, {
        origin: t.origin,
        headers: { cookie: `${t.cookie.split('=')[0]}=guess` },
      });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
      ws.on('error', () => {});
    });
    expect(wrongCookie).toBe(401);
  });

  it('serves no route without the session, except the token exchange', async () => {
    for (const route of ['/', '/index.html', '/app.js', `/attachments/${'a'.repeat(64)}`, `/bundles/${'A'.repeat(43)}`, '/session']) {
      expect((await fetch(`${t.origin}${route}`)).status, route).toBe(401);
    }
    const page = await fetch(`${t.origin}/`);
    expect(await page.text()).toContain('Open the address the Outpost host printed');
    expect((await fetch(`${t.origin}/app.js`, { headers: { cookie: t.cookie } })).status).toBe(200);
    expect((await fetch(`${t.origin}/session`, { headers: { cookie: t.cookie } })).status).toBe(204);
  });

  it('exchanges the printed token for an HttpOnly SameSite=Strict cookie and drops the token from the address', async () => {
    const url = new URL(t.url);
    expect(url.searchParams.get('token')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const login = await fetch(`${t.origin}/?token=${url.searchParams.get('token')}&x=1`, { redirect: 'manual' });
    expect(login.status).toBe(303);
    expect(login.headers.get('location')).toBe('/?x=1');
    const cookie = login.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(new RegExp(`^outpost-session-${t.port}=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=/$`));
    // The session is not the token: a leaked address is not a session, and vice versa.
    expect(cookie).not.toContain(url.searchParams.get('token'));

    const wrong = await fetch(`${t.origin}/?token=${'x'.repeat(43)}`, { redirect: 'manual' });
    expect(wrong.status).toBe(403);
    expect(wrong.headers.get('set-cookie')).toBeNull();
  });

  it('gives each run new secrets: a session of an earlier run is refused', async () => {
    const a = t;
    const b = await startTestHost();
    const other = b.cookie.replace(/^outpost-session-\d+/, `outpost-session-${a.port}`);
    expect((await fetch(`${a.origin}/session`, { headers: { cookie: other } })).status).toBe(401);
  });
});

const asRoot = process.getuid?.() === 0 && fs.existsSync('/usr/bin/setpriv');

describe.skipIf(!asRoot)('browser host: another account of the machine', () => {
  it('cannot call the API, even forging the Origin, and cannot read the page', async () => {
    // What another local user can do: run node (and the ws package) against the port.
    const script = `
      const WebSocket = require(${JSON.stringify(require.resolve('ws'))});
      const ws = new WebSocket('ws://127.0.0.1:${t.port}/api', { origin: '${t.origin}' });
      ws.on('unexpected-response', (_q, r) => { console.log('refused ' + r.statusCode); process.exit(0); });
      ws.on('open', () => { console.log('OPEN'); process.exit(0); });
      ws.on('error', (e) => { console.log('error ' + e.message); process.exit(0); });
      fetch('${t.origin}/').then((r) => console.log('page ' + r.status));`;
    const result = spawnSync('/usr/bin/setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', script], {
      encoding: 'utf8',
      timeout: 20_000,
      cwd: '/',
    });
    expect(result.stdout).toContain('refused 401');
    expect(result.stdout).not.toContain('OPEN');
  });
});
