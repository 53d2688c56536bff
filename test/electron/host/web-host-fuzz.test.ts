import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { frame, sendAndWaitClose, startTestHost } from './host-client';

/**
 * Thousands of malformed HTTP requests and WebSocket frames, as a hostile local process could
 * send them: the host must answer or close each one, stay up, and answer the next valid call.
 * Seeded, so a failure replays; bounded so it runs in CI in well under a minute.
 */
const HTTP_RUNS = 1500;
const WS_RUNS = 1000;

const junkText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('%00', '%', '%E0%A4%A', '%C0%AF', '..%2f..%2f', '\u0000', '\r\n', '%ff%fe', '\u202e', '//', '/..', '~'),
);
const pathArb = fc.oneof(
  fc.array(junkText, { maxLength: 6 }).map((parts) => `/${parts.join('/')}`),
  fc.constantFrom('/index.html%00.png', '/%00', `/${'a'.repeat(20_000)}`, '/attachments/../../etc/passwd', '*', 'http://evil/', ''),
  fc.nat({ max: 70 }).map((n) => `/attachments/${'f'.repeat(n)}`),
  fc.constantFrom('/bundles/', '/bundles/%00', `/bundles/${'A'.repeat(43)}`, '/api', '/session', '/?token=', '/?token=%00'),
);
const methodArb = fc.oneof(
  fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'CONNECT', 'TRACE'),
  fc.string({ maxLength: 12 }),
);
const headerArb = fc.oneof(
  fc.tuple(fc.string({ maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 60 })).map(([k, v]) => `${k}: ${v}`),
  fc.constantFrom(
    'Content-Length: -1',
    'Content-Length: 99999999999999999999',
    'Content-Length: 5\r\nContent-Length: 6',
    'Transfer-Encoding: chunked',
    'Transfer-Encoding: chunked, identity',
    'Host: evil.example',
    'Origin: null',
    'Cookie: outpost-session-1=%00; ;;=;',
    `X-Big: ${'b'.repeat(20_000)}`,
    'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 99',
    'Range: bytes=-1-2',
  ),
);

describe('browser host fuzz', () => {
  it(`survives ${HTTP_RUNS} malformed HTTP requests`, async () => {
    const t = await startTestHost();
    await fc.assert(
      fc.asyncProperty(
        methodArb,
        pathArb,
        fc.array(headerArb, { maxLength: 5 }),
        fc.boolean(),
        fc.boolean(),
        fc.string({ unit: 'binary', maxLength: 200 }),
        async (method, path, headers, withHost, withCookie, body) => {
          const lines = [`${method} ${path} HTTP/1.1`];
          if (withHost) lines.push(`Host: 127.0.0.1:${t.port}`);
          if (withCookie) lines.push(`Cookie: ${t.cookie}`);
          lines.push(...headers, 'Connection: close');
          await t.raw(Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`, 'latin1'), 300);
          expect(t.alive()).toBe(true);
        },
      ),
      { numRuns: HTTP_RUNS, seed: 1404 },
    );
    expect(t.alive()).toBe(true);
    expect(await t.validCall()).toMatchObject({ id: 1, ok: true });
  }, 120_000);

  it(`survives ${WS_RUNS} malformed WebSocket frames`, async () => {
    const t = await startTestHost();
    const frameArb = fc.record({
      opcode: fc.nat({ max: 15 }),
      payload: fc.oneof(
        fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
        fc.constantFrom(
          Buffer.from([0xed, 0xa0, 0x80]),
          Buffer.from('{"id":1,"name":"notebook.info"'),
          Buffer.from('{"id":-1,"name":"x","request":{}}'),
          Buffer.from('{"id":1,"name":"__proto__","request":{"constructor":{}}}'),
          Buffer.from([0x03, 0xe7]),
        ),
      ),
      fin: fc.boolean(),
      rsv: fc.nat({ max: 7 }),
      mask: fc.boolean(),
      length: fc.option(fc.constantFrom(0n, 125n, 126n, 65_535n, 65_536n, 2n ** 31n, 2n ** 63n - 1n), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(frameArb, { minLength: 1, maxLength: 3 }), async (frames) => {
        const socket = await t.upgraded();
        await sendAndWaitClose(socket, Buffer.concat(frames.map((f) => frame(f))), 150);
        socket.destroy();
        expect(t.alive()).toBe(true);
      }),
      { numRuns: WS_RUNS, seed: 1405 },
    );
    expect(t.alive()).toBe(true);
    expect(await t.validCall()).toMatchObject({ id: 1, ok: true });
  }, 120_000);
});
