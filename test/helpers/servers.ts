import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * Throwaway PostgreSQL and Redis servers from Debian's packages, each with its own data folder and
 * port on 127.0.0.1, started and stopped by the test that needs them (`.ci/run` installs the
 * packages). PostgreSQL refuses to run as root: as root, the server runs as the `postgres` user.
 */

export interface Server {
  url: string;
  port: number;
  /** Stops the server (fast shutdown); `kill`: SIGKILL, as a crash would. */
  stop(options?: { kill?: boolean }): Promise<void>;
  /** Starts it again on the same data and port. */
  restart(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function postgresBin(name: string): string {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const file = path.join(root, version, 'bin', name);
    if (fs.existsSync(file)) return file;
  }
  throw new Error(`PostgreSQL's ${name} is not installed (Debian package postgresql; .ci/run installs it)`);
}

const asRoot = process.getuid?.() === 0;

/**
 * Runs a PostgreSQL program as the `postgres` user when we are root. setpriv execs the program in
 * place (same process), so signals reach the server itself.
 */
function pgCommand(bin: string, args: string[]): [string, string[]] {
  return asRoot ? ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', bin, ...args]] : [bin, args];
}

async function waitForPort(port: number, child: ChildProcess, log: () => string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The server exited (${child.exitCode}): ${log().slice(-2000)}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`The server did not listen on ${port} in time: ${log().slice(-2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

export async function startPostgres(): Promise<Server> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-pg-'));
  const data = path.join(dir, 'data');
  if (asRoot) {
    fs.chmodSync(dir, 0o755);
    execFileSync('chown', ['postgres', dir]);
  }
  const [cmd, args] = pgCommand(postgresBin('initdb'), ['-D', data, '-U', 'outpost', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  execFileSync(cmd, args, { stdio: 'pipe' });
  const port = await freePort();
  let child: ChildProcess;
  let log = '';
  const start = async () => {
    const [c, a] = pgCommand(postgresBin('postgres'), [
      '-D',
      data,
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
    ]);
    child = spawn(c, a, { stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    child.stdout?.on('data', (d) => (log += d));
    child.stderr?.on('data', (d) => (log += d));
    child.once('exit', () => running.delete(child));
    await waitForPort(port, child, () => log);
    // Listening is not yet accepting queries while it recovers: wait for a query to pass.
    await retryQuery(`postgres://outpost@127.0.0.1:${port}/postgres`);
  };
  await start();
  const url = `postgres://outpost@127.0.0.1:${port}/postgres`;
  return {
    url,
    port,
    stop: (options = {}) => stopChild(child, options.kill ? 'SIGKILL' : 'SIGINT'),
    restart: start,
  };
}

async function retryQuery(url: string): Promise<void> {
  const { default: pg } = await import('pg');
  for (let attempt = 0; ; attempt++) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => {});
      if (attempt > 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

export async function startRedis(): Promise<Server> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-redis-'));
  const port = await freePort();
  let child: ChildProcess;
  let log = '';
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    child.stdout?.on('data', (d) => (log += d));
    child.stderr?.on('data', (d) => (log += d));
    child.once('exit', () => running.delete(child));
    await waitForPort(port, child, () => log);
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: (options = {}) => stopChild(child, options.kill ? 'SIGKILL' : 'SIGTERM'),
    restart: start,
  };
}
