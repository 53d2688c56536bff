import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import WebSocket from 'ws';
import { Notebook } from '../../../electron/notebook/notebook';
import { signIn } from '../../helpers/host-session';
import { migratedTemplate } from '../../helpers/notebook';

/**
 * Raw-socket access to a browser-mode host started in this test process, as an attacker on the
 * same machine would talk to it: bytes of their choosing, no browser in between.
 */
export interface TestHost {
  /** The address the host printed (token included). */
  url: string;
  port: number;
  origin: string;
  cookie: string;
  /** Whether the host process is still running. */
  alive(): boolean;
  /** What the host wrote to stderr (warnings about refused requests land there). */
  stderr(): string;
  /** Writes `bytes`, returns what came back before the server closed (or `waitMs` passed). */
  raw(bytes: Buffer | string, waitMs?: number): Promise<string>;
  /** A WebSocket handshake done by hand (signed in, right Origin); resolves with the open socket. */
  upgraded(): Promise<net.Socket>;
  /** One valid contract call over a real WebSocket client: the host is up and serving. */
  validCall(): Promise<unknown>;
  stop(): Promise<void>;
}

const root = path.resolve(import.meta.dirname, '../../..');

/**
 * The real browser-host entry point (electron/host/web-main.ts, through tsx) in its own process on
 * a notebook made from the migrated template, so "the host stays up" means the process is alive.
 */
export async function startTestHost(): Promise<TestHost> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-host-'));
  await (await Notebook.open(dir, { kind: 'test', template: migratedTemplate() })).close();
  const rendererDir = path.join(dir, 'renderer-build');
  fs.mkdirSync(rendererDir);
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Outpost</title>');
  fs.writeFileSync(path.join(rendererDir, 'app.js'), 'console.log(1)');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'electron/host/web-main.ts'), '--notebook', dir, '--port', '0'],
    {
      cwd: root,
      env: { ...process.env, OUTPOST_RENDERER_DIR: rendererDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the host did not start: ${stderr}`)), 30_000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const match = /running at (http:\/\/\S+)/.exec(out);
      if (!match) return;
      clearTimeout(timer);
      resolve(match[1] as string);
    });
    void exited.then(() => reject(new Error(`the host exited: ${stderr}`)));
  });
  afterAll(async () => {
    child.kill('SIGKILL');
    await exited;
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const { cookie, origin } = await signIn(url);
  const port = Number(new URL(url).port);
  const raw = (bytes: Buffer | string, waitMs = 2_000) =>
    new Promise<string>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      let out = '';
      const done = () => {
        clearTimeout(timer);
        socket.destroy();
        resolve(out);
      };
      const timer = setTimeout(done, waitMs);
      socket.on('data', (d) => {
        out += d.toString('latin1');
      });
      socket.on('error', done);
      socket.on('close', done);
      socket.write(bytes);
    });

  const upgraded = () =>
    new Promise<net.Socket>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1');
      const key = crypto.randomBytes(16).toString('base64');
      socket.once('error', reject);
      socket.write(
        `GET /api HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${origin}\r\nCookie: ${cookie}\r\nUpgrade: websocket\r\n` +
          `Connection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
      let head = '';
      const onData = (d: Buffer) => {
        head += d.toString('latin1');
        if (!head.includes('\r\n\r\n')) return;
        socket.off('data', onData);
        if (head.startsWith('HTTP/1.1 101')) resolve(socket);
        else reject(new Error(`handshake refused: ${head.split('\r\n')[0]}`));
      };
      socket.on('data', onData);
    });

  const validCall = () =>
    new Promise<unknown>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/api`, { origin, headers: { cookie } });
      const timer = setTimeout(() => reject(new Error('no answer')), 10_000);
      ws.on('error', reject);
      ws.on('open', () => ws.send(JSON.stringify({ id: 1, name: 'notebook.info', request: {} })));
      ws.on('message', (data) => {
        const frame = JSON.parse(String(data));
        if (frame.id !== 1) return;
        clearTimeout(timer);
        ws.close();
        resolve(frame);
      });
    });

  return {
    url,
    port,
    origin,
    cookie,
    alive: () => child.exitCode === null && child.signalCode === null,
    stderr: () => stderr,
    raw,
    upgraded,
    validCall,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A client WebSocket frame, masked unless told otherwise, with any header bits a fuzzer wants. */
export function frame(options: { opcode: number; payload: Buffer; fin?: boolean; rsv?: number; mask?: boolean; length?: bigint }): Buffer {
  const { opcode, payload, fin = true, rsv = 0, mask = true } = options;
  const length = options.length ?? BigInt(payload.length);
  const parts: Buffer[] = [Buffer.from([(fin ? 0x80 : 0) | ((rsv & 7) << 4) | (opcode & 0x0f)])];
  if (length < 126n) parts.push(Buffer.from([(mask ? 0x80 : 0) | Number(length)]));
  else if (length < 65536n) {
    const b = Buffer.alloc(3);
    b[0] = (mask ? 0x80 : 0) | 126;
    b.writeUInt16BE(Number(length), 1);
    parts.push(b);
  } else {
    const b = Buffer.alloc(9);
    b[0] = (mask ? 0x80 : 0) | 127;
    b.writeBigUInt64BE(length, 1);
    parts.push(b);
  }
  if (mask) {
    const key = crypto.randomBytes(4);
    parts.push(key, Buffer.from(payload.map((byte, i) => byte ^ (key[i % 4] as number))));
  } else parts.push(payload);
  return Buffer.concat(parts);
}

/** Sends bytes on an upgraded socket and waits until the host closes it (or `waitMs`). */
export function sendAndWaitClose(socket: net.Socket, bytes: Buffer, waitMs = 2_000): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(false);
    }, waitMs);
    const closed = () => {
      clearTimeout(timer);
      resolve(true);
    };
    socket.once('close', closed);
    socket.on('error', () => {});
    socket.write(bytes);
  });
}
