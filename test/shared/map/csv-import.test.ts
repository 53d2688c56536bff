import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { decodeCsv, guessMapping, MAX_IMPORT_ROWS, planImport } from '../../../shared/map/csv-import';
import { applyMapChanges, readMap } from '../../../shared/map/doc';
import type { EnvironmentMap } from '../../../shared/map/model';

const EMPTY: EnvironmentMap = { systems: [], integrations: [], zones: [] };

function mapWith(...names: string[]): EnvironmentMap {
  const doc = new Y.Doc();
  applyMapChanges(
    doc,
    names.map((name) => ({ op: 'addSystem', system: { name } })),
  );
  return readMap(doc).map;
}

describe('CSV import', () => {
  it('guesses the mapping from common header names', () => {
    expect(guessMapping(['System Name', 'Type', 'Vendor', 'Network Zone', 'Business owner', 'Comments', 'Cost centre'])).toEqual({
      'System Name': 'name',
      Type: 'kind',
      Vendor: 'vendor',
      'Network Zone': 'zone',
      'Business owner': 'owner',
      Comments: 'notes',
      'Cost centre': '',
    });
  });

  it('plans systems with kinds and statuses by alias, zones created once, tags split', () => {
    const csv =
      'Name,Type,Vendor,Zone,Status,Tags\r\nSAP ECC,ERP,SAP,Corporate LAN,ok,"finance, core"\r\nLine 3 PLC,PLC,Siemens,OT,down,\r\nHistorian,database,AVEVA,OT,,\r\n';
    const plan = planImport(csv, EMPTY);
    expect(plan.errors).toEqual([]);
    expect(plan.kind).toBe('systems');
    expect(plan.counts).toEqual({ systems: 3, integrations: 0, zones: 2 });
    const doc = new Y.Doc();
    applyMapChanges(doc, plan.changes);
    const { map } = readMap(doc);
    expect(map.zones.map((z) => [z.name, z.kind])).toEqual([
      ['Corporate LAN', 'corporate'],
      ['OT', 'ot'],
    ]);
    const plc = map.systems.find((s) => s.name === 'Line 3 PLC');
    expect(plc).toMatchObject({ kind: 'device', vendor: 'Siemens', status: 'broken' });
    expect(plc?.zone).toBe(map.zones.find((z) => z.name === 'OT')?.id);
    expect(map.systems.find((s) => s.name === 'SAP ECC')?.tags).toEqual(['finance', 'core']);
  });

  it('reports every bad row with its row number and plans nothing (atomic)', () => {
    const csv = [
      'name,kind,status',
      'WMS,application,healthy',
      ',database,',
      'wms,database,',
      'Mainframe,quantum computer,',
      'Kafka,queue,sideways',
      'ERP,application,',
    ].join('\n');
    const plan = planImport(csv, mapWith('ERP'));
    expect(plan.errors).toEqual([
      { row: 3, message: 'the name is empty' },
      { row: 4, message: 'duplicate name "wms" (also on row 2)' },
      { row: 5, message: expect.stringMatching(/^unknown kind "quantum computer" \(kinds: Application, Database/) },
      { row: 6, message: 'unknown status "sideways" (statuses: healthy, degraded, broken, planned, retired)' },
      { row: 7, message: 'a system named "ERP" is already on the map' },
    ]);
    expect(plan.changes).toEqual([]);
  });

  it('says which required columns are missing', () => {
    const plan = planImport('vendor,owner\nSAP,Finance\n', EMPTY);
    expect(plan.kind).toBeNull();
    expect(plan.errors[0]?.message).toMatch(/^Missing required columns: map a column to "name"/);
    expect(planImport('', EMPTY).errors[0]?.message).toMatch(/empty/);
  });

  it('takes an explicit column mapping', () => {
    const plan = planImport('Asset;Cat\nPLC-7;device\n', EMPTY, { Asset: 'name', Cat: 'kind' });
    expect(plan.errors).toEqual([]);
    expect(plan.changes).toEqual([{ op: 'addSystem', system: expect.objectContaining({ name: 'PLC-7', kind: 'device' }) }]);
    expect(planImport('Asset\nx\n', EMPTY, { Asset: 'name', Other: 'kind' }).errors[0]?.message).toMatch(/column "Other"/);
    expect(planImport('Asset\nx\n', EMPTY, { Asset: 'colour' as never }).errors[0]?.message).toMatch(/Unknown field "colour"/);
  });

  it('plans integrations between systems on the map by name, cycles included', () => {
    const map = mapWith('ERP', 'WMS', 'MES');
    const csv =
      'source,target,protocol,format,direction\nERP,WMS,SFTP/file,fixed-width,->\nWMS,MES,OPC-UA,,both\nMES,ERP,REST,JSON,\nERP,Nowhere,REST,,\n';
    const plan = planImport(csv, map);
    expect(plan.kind).toBe('integrations');
    expect(plan.errors).toEqual([{ row: 5, message: 'no system called "Nowhere" on the map (import the systems first)' }]);
    const ok = planImport(csv.split('\n').slice(0, 4).join('\n'), map);
    expect(ok.errors).toEqual([]);
    expect(ok.counts.integrations).toBe(3);
    expect(ok.changes[1]).toMatchObject({ op: 'addIntegration', integration: { direction: 'two-way', protocol: 'OPC-UA' } });
  });

  it('decodes BOM, UTF-8 and Latin-1 (Windows-1252) bytes', () => {
    const utf8 = new TextEncoder().encode('name\nMünchen ERP\n');
    expect(decodeCsv(utf8)).toEqual({ text: 'name\nMünchen ERP\n', encoding: 'utf-8' });
    expect(decodeCsv(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8])).text).toBe('name\nMünchen ERP\n');
    const latin1 = new Uint8Array([...new TextEncoder().encode('name\nM'), 0xfc, ...new TextEncoder().encode('nchen '), 0x80, 0x0a]);
    expect(decodeCsv(latin1)).toEqual({ text: 'name\nMünchen €\n', encoding: 'windows-1252' });
    const plan = planImport(decodeCsv(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('Name\r\nA\r\n')])).text, EMPTY);
    expect(plan.headers).toEqual(['Name']);
    expect(plan.errors).toEqual([]);
  });

  it('refuses more than the row limit as a whole, without planning', () => {
    const rows = Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, i) => `system-${i}`);
    const plan = planImport(`name\n${rows.join('\n')}\n`, EMPTY);
    expect(plan.errors).toEqual([
      { row: 0, message: `The file has ${MAX_IMPORT_ROWS + 1} rows; Outpost imports at most ${MAX_IMPORT_ROWS} at a time` },
    ]);
    expect(plan.changes).toEqual([]);
    const atLimit = planImport(`name\n${rows.slice(0, MAX_IMPORT_ROWS).join('\n')}\n`, EMPTY);
    expect(atLimit.errors).toEqual([]);
    expect(atLimit.counts.systems).toBe(MAX_IMPORT_ROWS);
  });
});
