import { describe, expect, it } from 'vitest';
import { copyRows } from '../../../electron/notebook/binary-copy';
import { parseBytea, serializeBytea } from '../../../electron/notebook/bytea-codec';
import { openTempNotebook } from '../../helpers/notebook';

describe('bytea codec', () => {
  it('round-trips bytes through hex text, including empty and sliced arrays', () => {
    const whole = Uint8Array.from({ length: 4096 }, (_, i) => (i * 31) & 255);
    for (const bytes of [new Uint8Array(0), whole, whole.subarray(7, 300)]) {
      const text = serializeBytea(bytes);
      expect(text.startsWith('\\x')).toBe(true);
      expect(text.length).toBe(2 + 2 * bytes.length);
      const back = parseBytea(text);
      expect(back).toEqual(bytes);
      // A plain array that owns its memory, not a view into a shared pool.
      expect(back.byteOffset).toBe(0);
      expect(back.buffer.byteLength).toBe(bytes.length);
    }
  });

  it('refuses what is not bytes or not hex', () => {
    expect(() => serializeBytea('abc')).toThrow(/bytea/);
    expect(() => parseBytea('abc')).toThrow(/hex/);
    expect(() => parseBytea('\\x0g')).toThrow(/Malformed/);
  });

  it('is what the notebook database uses: bytes written and read back unchanged', async () => {
    const notebook = await openTempNotebook();
    const bytes = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7) & 255);
    const result = await notebook.db.query<{ b: Uint8Array; n: number }>('SELECT $1::bytea AS b, length($1::bytea) AS n', [bytes]);
    expect(result.rows[0]?.n).toBe(bytes.length);
    expect(result.rows[0]?.b).toEqual(bytes);
  });
});

describe('binary COPY', () => {
  it('writes text, bytes, UUIDs, timestamps and nulls exactly', async () => {
    const notebook = await openTempNotebook();
    await notebook.db.exec('CREATE TEMP TABLE copied (name text, data bytea, id uuid, at timestamptz, note text)');
    const data = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 13) & 255);
    await copyRows(
      notebook.db,
      'copied',
      ['name', 'data', 'id', 'at', 'note'],
      [
        [
          { text: 'Zürich – 東京 "quoted", \\ back\tslash\n' },
          { bytea: data },
          { uuid: '0b9e7c1a-3f7d-4c55-9a1e-2f6a8d9e0c11' },
          { timestamptz: '2026-11-29T07:15:30.123Z' },
          null,
        ],
        [{ text: '' }, { bytea: new Uint8Array(0) }, null, { timestamptz: '1999-12-31T23:59:59.999Z' }, { text: 'x' }],
      ],
    );
    const rows = await notebook.db.query<{ name: string; data: Uint8Array; id: string | null; at: string; note: string | null }>(
      "SELECT name, data, id::text AS id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS') AS at, note FROM copied ORDER BY name DESC",
    );
    expect(rows.rows).toEqual([
      {
        name: 'Zürich – 東京 "quoted", \\ back\tslash\n',
        data,
        id: '0b9e7c1a-3f7d-4c55-9a1e-2f6a8d9e0c11',
        at: '2026-11-29T07:15:30.123',
        note: null,
      },
      { name: '', data: new Uint8Array(0), id: null, at: '1999-12-31T23:59:59.999', note: 'x' },
    ]);
  });

  it('refuses a malformed UUID or timestamp before writing anything', async () => {
    const notebook = await openTempNotebook();
    await notebook.db.exec('CREATE TEMP TABLE copied (id uuid, at timestamptz)');
    await expect(copyRows(notebook.db, 'copied', ['id', 'at'], [[{ uuid: 'not-a-uuid' }, null]])).rejects.toThrow(/UUID/);
    await expect(copyRows(notebook.db, 'copied', ['id', 'at'], [[null, { timestamptz: 'yesterday-ish' }]])).rejects.toThrow(/timestamp/);
    expect((await notebook.db.query('SELECT * FROM copied')).rows).toHaveLength(0);
  });
});
