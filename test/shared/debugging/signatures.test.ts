import { describe, expect, it } from 'vitest';
import { detectLogKind, type LogKind } from '../../../shared/debugging/kinds';
import { extractSignatures } from '../../../shared/debugging/signatures';
import { jaccard } from '../../../shared/debugging/similarity';
import * as c from './corpus';

type Gen = (v: c.Vars) => string;
/** Per kind: two different errors of that kind. */
const CASES: Array<[LogKind, Gen, Gen]> = [
  ['java-trace', c.javaOdbcTimeout, c.javaNpe],
  ['dotnet-trace', c.dotnetSql, c.dotnetNullRef],
  ['python-trace', c.pythonKey, c.pythonConn],
  ['node-trace', c.nodeTypeError, c.nodeEconnrefused],
  ['go-trace', c.goPanic, c.goNilMap],
  ['syslog', c.syslogDisk, c.syslogSshd],
  ['journald', c.journaldOom, c.journaldOom],
  ['json-lines', c.jsonLines, c.jsonLinesAuth],
  ['sql-error', c.pgUnique, c.oracleTable],
  ['http-error', c.http502, c.http401],
  ['log', c.plainLog, c.plainLogLock],
];

const ids = (text: string) => extractSignatures(text).map((s) => s.templateId);

describe('log kind detection', () => {
  it.each(CASES)('recognises %s', (kind, a, b) => {
    for (const seed of [1, 2, 17, 40]) {
      expect(detectLogKind(a(c.vars(seed)))).toBe(kind);
      expect(detectLogKind(b(c.vars(seed)))).toBe(kind);
    }
  });

  it('leaves prose, code and empty text alone', () => {
    expect(detectLogKind('We met the client at 10:00 and agreed on the cut-over plan.\nNext step: staging.')).toBeNull();
    expect(detectLogKind('function add(a, b) {\n  return a + b;\n}')).toBeNull();
    expect(detectLogKind('')).toBeNull();
    expect(detectLogKind('   \n  ')).toBeNull();
  });
});

describe('error signatures', () => {
  it.each(CASES)('%s: the same error with other variables has the same signature', (_kind, a) => {
    const first = ids(a(c.vars(3)));
    expect(first.length).toBeGreaterThan(0);
    for (const seed of [4, 11, 29, 58]) expect(ids(a(c.vars(seed)))).toEqual(first);
  });

  it.each(CASES.filter(([, a, b]) => a !== b))('%s: different errors have different signatures', (_kind, a, b) => {
    const left = new Set(ids(a(c.vars(5))));
    for (const id of ids(b(c.vars(5)))) expect(left.has(id)).toBe(false);
  });

  it('a trace signature names the root cause and its top frames without line numbers', () => {
    const [sig] = extractSignatures(c.javaOdbcTimeout(c.vars(9)));
    expect(sig?.exceptionType).toBe('java.net.SocketTimeoutException');
    expect(sig?.frames[0]).toBe('java.base/java.net.SocketInputStream.socketRead0');
    expect(sig?.frames.join(' ')).not.toMatch(/\d{2,}/);
    const [py] = extractSignatures(c.pythonKey(c.vars(9)));
    expect(py).toMatchObject({
      exceptionType: 'KeyError',
      template: '<STR>',
      frames: ['csv_loader.py:load', 'pipeline.py:main', 'run.py:<module>'],
    });
    const [net] = extractSignatures(c.dotnetSql(c.vars(9)));
    expect(net?.exceptionType).toBe('System.Data.SqlClient.SqlException');
    expect(net?.template).toBe('Login failed for user <STR>.');
    const [go] = extractSignatures(c.goNilMap(c.vars(9)));
    expect(go).toMatchObject({ exceptionType: 'panic', template: 'assignment to entry in nil map' });
    expect(go?.frames[0]).toBe('github.com/acme/agent/config.(*Store).Set');
  });

  it('masks numbers, hex, ids, time stamps, addresses, hosts, paths and quoted values', () => {
    const [sig] = extractSignatures(
      `2026-03-01T10:00:00Z ERROR upload 0x7ffe12 of /srv/in/a.csv to db01.acme.corp (10.1.2.3:5432) as "bob" failed after 1500 ms, request 3f2a9c1e-1111-4222-8333-444455556666 hash 9f86d081884c7d65`,
      'log',
    );
    expect(sig?.template).toBe('ERROR upload <HEX> of <PATH> to <HOST> (<IP>) as <STR> failed after <NUM> ms, request <UUID> hash <HEX>');
  });

  it('log lines that differ in one word are merged by Drain into one template with a wildcard', () => {
    const text = ['ERROR cache node alpha unreachable', 'ERROR cache node beta unreachable', 'ERROR cache node gamma unreachable'].join(
      '\n',
    );
    const sigs = extractSignatures(text, 'log');
    expect(sigs).toHaveLength(1);
    expect(sigs[0]).toMatchObject({ template: 'ERROR cache node <*> unreachable', lines: 3 });
  });

  it('a log without errors or warnings yields no signature', () => {
    expect(extractSignatures('2026-03-01 10:00:00 INFO started\n2026-03-01 10:00:01 INFO ready', 'log')).toEqual([]);
  });

  it('near variants of an error share most template words', () => {
    const [a] = extractSignatures('ERROR connection to <HOST> timed out after 30 s while reading orders', 'log');
    const [b] = extractSignatures('ERROR connection to db9 timed out after 45 s while reading invoices', 'log');
    expect(a && b && jaccard(a.tokens, b.tokens)).toBeGreaterThanOrEqual(0.5);
  });
});

describe('bad input', () => {
  it('a 10 MB paste is examined in bounded time', () => {
    const line = `${'2026-03-01T10:00:00Z ERROR [worker-3] write failed for order 12345 on db01.acme.corp: timeout '.padEnd(120, 'x')}\n`;
    const text = line.repeat(Math.ceil((10 * 1024 * 1024) / line.length));
    const started = performance.now();
    expect(detectLogKind(text)).toBe('log');
    const sigs = extractSignatures(text);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(sigs).toHaveLength(1);
  });

  it('a 20,000-line trace is examined in bounded time', () => {
    const frames = Array.from({ length: 20_000 }, (_, i) => `\tat com.acme.deep.Recursion.step${i % 7}(Recursion.java:${i})`).join('\n');
    const text = `java.lang.StackOverflowError\n${frames}`;
    const started = performance.now();
    const [sig] = extractSignatures(text);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(sig).toMatchObject({ kind: 'java-trace', exceptionType: 'java.lang.StackOverflowError' });
    expect(sig?.frames).toHaveLength(5);
  });

  it('binary pasted as text is not a log and yields nothing', () => {
    let binary = '';
    for (let i = 0; i < 200_000; i++) binary += String.fromCharCode((i * 7919) % 256);
    expect(detectLogKind(binary)).toBeNull();
    expect(extractSignatures(binary, 'log')).toEqual([]);
  });

  it('one enormous line does not stall the masks', () => {
    const text = `ERROR ${'"a'.repeat(500_000)} ${'1.'.repeat(300_000)}`;
    const started = performance.now();
    extractSignatures(text, 'log');
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
