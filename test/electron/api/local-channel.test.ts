import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiServer } from '../../../electron/api/api-server';
import { channelSocketPath, openLocalChannel } from '../../../electron/api/local-channel';
import { connectToHolder } from '../../../electron/cli/channel-client';
import { Notebook } from '../../../electron/notebook/notebook';
import { notebookLayout } from '../../../electron/notebook/paths';
import { cli, notebookDir } from '../../helpers/cli';
import { tempDir } from '../../helpers/notebook';

async function holder(dir: string) {
  const notebook = await Notebook.open(dir, { kind: 'web host', serveCommands: true });
  const server = new ApiServer(notebook);
  const channel = await openLocalChannel(dir, server, 'web host');
  return {
    notebook,
    channel,
    close: async () => {
      await channel.close();
      server.close();
      await notebook.close();
    },
  };
}

/** Sends raw lines on the channel's socket and returns what came back before it closed. */
function talk(socketPath: string, lines: string[]): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(socketPath);
    let out = '';
    socket.setEncoding('utf8');
    socket.on('data', (d) => {
      out += d;
    });
    socket.on('error', () => resolve(out));
    socket.on('close', () => resolve(out));
    socket.write(lines.map((l) => `${l}\n`).join(''));
    setTimeout(() => socket.destroy(), 2000);
  });
}

const asRoot = process.getuid?.() === 0 && fs.existsSync('/usr/bin/setpriv');

describe('the notebook’s command channel', () => {
  it('is owner-only: a 0600 socket and channel file next to the lock, gone when the holder closes', async () => {
    const dir = await notebookDir();
    const h = await holder(dir);
    const layout = notebookLayout(dir);
    expect(h.channel.socketPath).toBe(layout.socket);
    expect(fs.statSync(layout.socket).mode & 0o777).toBe(0o600);
    expect(fs.statSync(layout.channel).mode & 0o777).toBe(0o600);
    await h.close();
    expect(fs.existsSync(layout.socket)).toBe(false);
    expect(fs.existsSync(layout.channel)).toBe(false);
  });

  it('answers nothing to a client without the token, or with a wrong one, or that sends garbage', async () => {
    const dir = await notebookDir();
    const h = await holder(dir);
    const call = JSON.stringify({ id: 1, name: 'engagements.list', request: {} });
    for (const lines of [
      [call],
      [JSON.stringify({ hello: { protocol: 1, token: 'guess', client: 'x' } }), call],
      ['not json at all', call],
      [JSON.stringify({ hello: { protocol: 2, token: 'x', client: 'x' } }), call],
    ]) {
      const reply = await talk(h.channel.socketPath, lines);
      expect(reply).toMatch(/"refused"/);
      expect(reply).not.toMatch(/"engagements"/);
    }
    // …and still serves its owner.
    const api = await connectToHolder(dir);
    expect(api?.mode).toBe('host');
    expect(await api?.call('engagements.list', {})).toEqual({ engagements: [] });
    await api?.close();
    await h.close();
  });

  it('puts a socket whose path would be too long in a private folder of the user, named after the notebook', () => {
    const deep = path.join(tempDir(), 'a'.repeat(60), 'b'.repeat(60));
    const socket = channelSocketPath(deep);
    expect(socket.length).toBeLessThan(104);
    expect(fs.statSync(path.dirname(socket)).mode & 0o777).toBe(0o700);
    expect(channelSocketPath(deep)).toBe(socket);
  });

  it.skipIf(!asRoot)('refuses a channel file or socket that another account owns, without sending it anything', async () => {
    const dir = await notebookDir();
    const h = await holder(dir);
    fs.chownSync(notebookLayout(dir).channel, 65534, 65534);
    const refused = await cli(dir, 'engagements', 'list');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/command channel file .* belongs to another account \(uid 65534\)/);
    fs.chownSync(notebookLayout(dir).channel, 0, 0);
    fs.chownSync(notebookLayout(dir).socket, 65534, 65534);
    expect((await cli(dir, 'engagements', 'list')).stderr).toMatch(/command socket .* belongs to another account/);
    await h.close();
  });

  it.skipIf(!asRoot)('cannot be reached by another account of the machine', async () => {
    const dir = await notebookDir();
    fs.chmodSync(path.dirname(dir), 0o755);
    const h = await holder(dir);
    const script = `const s = require('node:net').connect(${JSON.stringify(h.channel.socketPath)});
      s.on('connect', () => { console.log('CONNECTED'); process.exit(0); });
      s.on('error', (e) => { console.log('refused ' + e.code); process.exit(0); });
      try { require('node:fs').readFileSync(${JSON.stringify(notebookLayout(dir).channel)}); console.log('READ TOKEN'); } catch (e) { console.log('token ' + e.code); }`;
    const other = spawnSync('/usr/bin/setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', script], {
      encoding: 'utf8',
      cwd: '/',
    });
    expect(other.stdout).toMatch(/token EACCES/);
    expect(other.stdout).toMatch(/refused EACCES/);
    expect(other.stdout).not.toMatch(/CONNECTED|READ TOKEN/);
    await h.close();
  });

  it('reports a holder that dies mid-command, exits non-zero, and says how to check', async () => {
    const dir = await notebookDir();
    // A holder that takes the hello, then dies on the first call (as a SIGKILL would look).
    const h = await holder(dir);
    await h.channel.close();
    const socketPath = notebookLayout(dir).socket;
    const fake = net.createServer((socket) => {
      socket.setEncoding('utf8');
      let seen = 0;
      socket.on('data', (d: string) => {
        seen += d.split('\n').filter(Boolean).length;
        if (seen === 1) socket.write(`${JSON.stringify({ welcome: { kind: 'web host', pid: process.pid } })}\n`);
        else socket.destroy();
      });
    });
    await new Promise<void>((resolve) => fake.listen(socketPath, resolve));
    fs.chmodSync(socketPath, 0o600);
    fs.writeFileSync(
      notebookLayout(dir).channel,
      JSON.stringify({ protocol: 1, socket: socketPath, token: 't', pid: process.pid, kind: 'web host', since: new Date().toISOString() }),
      { mode: 0o600 },
    );
    const result = await cli(dir, 'engagements', 'create', '--client', 'Acme', '--codename', 'HERON');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/stopped before it answered.*check with a read/);
    await new Promise((resolve) => fake.close(resolve));
    await h.close();
  });

  it('falls back to opening the notebook itself when the holder died (stale lock and channel left behind)', async () => {
    const dir = await notebookDir();
    const layout = notebookLayout(dir);
    fs.writeFileSync(
      layout.lock,
      JSON.stringify({
        pid: 999_999,
        hostname: (await import('node:os')).hostname(),
        since: '2026-01-01T00:00:00Z',
        kind: 'web host',
        commands: true,
      }),
      { mode: 0o600 },
    );
    fs.writeFileSync(
      layout.channel,
      JSON.stringify({ protocol: 1, socket: layout.socket, token: 't', pid: 999_999, kind: 'web host', since: 'x' }),
      {
        mode: 0o600,
      },
    );
    const result = await cli(dir, 'engagements', 'list');
    expect(result.code).toBe(0);
    expect(fs.existsSync(layout.channel)).toBe(false);
  });
});
