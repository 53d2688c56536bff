import { describe, expect, it } from 'vitest';
import { findTimestamp } from '../../../shared/debugging/timestamps';

const context = { noteDate: '2026-12-04T09:00:00.000Z' };
const read = (line: string) => {
  const found = findTimestamp(line, context);
  return found && { iso: found.iso, raw: found.raw, flags: found.flags };
};

describe('timestamps in log lines', () => {
  it('reads each format to the same instant in UTC', () => {
    const instant = '2026-12-04T06:58:44.000Z';
    for (const line of [
      '2026-12-04T06:58:44Z INFO wave released',
      '2026-12-04T07:58:44+01:00 WARN retry',
      '2026-12-04 07:58:44 CET [main] ERROR pool exhausted',
      '10.0.0.7 - - [04/Dec/2026:01:58:44 -0500] "GET /picks HTTP/1.1" 504 0',
      'Date: Fri, 04 Dec 2026 06:58:44 GMT',
      '{"level":"error","ts":1796367524,"msg":"timeout"}',
      '{"timestamp":1796367524000,"msg":"timeout"}',
      '2026/12/04 06:58:44 +0000 dial tcp 10.1.2.3:1521: i/o timeout',
    ])
      expect(read(line), line).toMatchObject({ iso: instant, flags: [] });
    expect(read('2026-12-04 06:58:44,123 ERROR [pool-3] SQLState 08001')).toEqual({
      iso: '2026-12-04T06:58:44.123Z',
      raw: '2026-12-04 06:58:44,123',
      flags: ['no time zone: read as UTC'],
    });
  });

  it('flags what the line leaves open instead of guessing silently', () => {
    expect(read('Dec  4 06:58:44 erp-db-03 kernel: nfs: server not responding')).toEqual({
      iso: '2026-12-04T06:58:44.000Z',
      raw: 'Dec  4 06:58:44',
      flags: ['no year: read as 2026', 'no time zone: read as UTC'],
    });
    // A December syslog line in a note written in January is last year's.
    expect(findTimestamp('Dec 31 23:59:59 host cron[1]: job', { noteDate: '2027-01-02T08:00:00Z' })?.iso).toBe('2026-12-31T23:59:59.000Z');
    expect(read('12/4/2026 6:58:44 PM Service Control Manager: timeout')?.flags).toEqual([
      '12/4 could be day/month or month/day: read as month/day',
      'no time zone: read as UTC',
    ]);
    expect(read('12/4/2026 6:58:44 PM x')?.iso).toBe('2026-12-04T18:58:44.000Z');
    // 25/12 can only be day/month.
    expect(read('25/12/2026 08:00 batch done')).toMatchObject({ iso: '2026-12-25T08:00:00.000Z', flags: ['no time zone: read as UTC'] });
    expect(read('2026-12-04 12:28:44 IST job failed')).toMatchObject({
      iso: '2026-12-04T06:58:44.000Z',
      flags: ['IST names several time zones: read as India'],
    });
  });

  it('takes the leftmost timestamp, ignores a level word after the time, and finds none in lines without one', () => {
    expect(read('2026-12-04 06:58:44 INFO retry at 2026-12-04 07:00:00')?.raw).toBe('2026-12-04 06:58:44');
    expect(read('at com.acme.wms.WaveRelease.run(WaveRelease.java:212)')).toBeNull();
    expect(read('ORA-12170: TNS:Connect timeout occurred')).toBeNull();
    // Not dates: month 13, 31 February.
    expect(read('2026-13-04 06:58:44 x')).toBeNull();
    expect(read('2026-02-31 06:58:44 x')).toBeNull();
  });
});
