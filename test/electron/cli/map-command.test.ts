import fs from 'node:fs';
import path from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { beforeEach, describe, expect, it } from 'vitest';
import { CLI_MODES, cli, notebookDir, setCliMode } from '../../helpers/cli';
import { tempDir } from '../../helpers/notebook';

const SYSTEMS_CSV =
  'System Name,Type,Vendor,Network Zone,Status\r\nSAP ECC,ERP,SAP,Corporate LAN,ok\r\nWMS,application,Manhattan,Corporate LAN,\r\nLine 3 PLC,PLC,Siemens,OT,down\r\n';
const INTEGRATIONS_CSV = 'Source,Target,Protocol,Format\nSAP ECC,WMS,SFTP/file,fixed-width\nWMS,Line 3 PLC,OPC-UA,\n';

async function withEngagement() {
  const dir = await notebookDir();
  expect((await cli(dir, 'engagements', 'create', '--client', 'Acme', '--codename', 'HERON')).code).toBe(0);
  const files = tempDir();
  const write = (name: string, content: string | Uint8Array) => {
    const file = path.join(files, name);
    fs.writeFileSync(file, content);
    return file;
  };
  return { dir, files, write };
}

describe.each(CLI_MODES)('outpost map (%s)', (mode) => {
  beforeEach(() => setCliMode(mode));

  it('imports systems then integrations, shows, lays out, traces and exports in every format', async () => {
    const { dir, files, write } = await withEngagement();
    const systems = write('systems.csv', `\ufeff${SYSTEMS_CSV}`);
    const dry = await cli(dir, 'map', 'import', '--engagement', 'HERON', systems, '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('System Name -> name');
    expect(dry.stdout).toContain('3 rows: would add 3 systems, 2 zones');
    expect(JSON.parse((await cli(dir, 'map', 'show', '--engagement', 'HERON', '--json')).stdout).systems).toEqual([]);

    const imported = await cli(dir, 'map', 'import', '--engagement', 'HERON', systems);
    expect(imported).toMatchObject({ code: 0, stdout: 'Imported 3 systems, 2 zones from 3 rows\n' });
    expect((await cli(dir, 'map', 'import', '--engagement', 'heron', write('i.csv', INTEGRATIONS_CSV))).stdout).toBe(
      'Imported 2 integrations from 2 rows\n',
    );
    const shown = await cli(dir, 'map', 'show', '--engagement', 'HERON');
    expect(shown.stdout).toMatch(/Line 3 PLC\s+Device \/ PLC\s+Siemens\s+OT\s+Broken/);
    expect(shown.stdout).toMatch(/SAP ECC\s+-> WMS\s+SFTP\/file\s+fixed-width/);

    expect((await cli(dir, 'map', 'layout', '--engagement', 'HERON')).stdout).toBe('Laid out 3 systems\n');
    const placed = JSON.parse((await cli(dir, 'map', 'show', '--engagement', 'HERON', '--json')).stdout);
    const x = (name: string) => placed.systems.find((s: { name: string }) => s.name === name).x;
    expect(x('SAP ECC')).toBeLessThan(x('WMS'));
    expect(x('WMS')).toBeLessThan(x('Line 3 PLC'));

    const trace = await cli(dir, 'map', 'trace', '--engagement', 'HERON', 'sap ecc', 'Line 3 PLC');
    expect(trace.stdout).toBe('Path 1 (2 hops):\n  SAP ECC -> WMS  [SFTP/file / fixed-width]\n  WMS -> Line 3 PLC  [OPC-UA]\n');
    expect((await cli(dir, 'map', 'trace', '--engagement', 'HERON', 'Line 3 PLC', 'SAP ECC')).stdout).toMatch(/No path/);

    const mermaid = await cli(dir, 'map', 'export', '--engagement', 'HERON', '--format', 'mermaid');
    expect(mermaid.stdout.split('\n')[0]).toBe('flowchart LR');
    expect(mermaid.stdout).toMatch(/s\d -->\|"SFTP\/file · fixed-width"\| s\d/);
    const svgFile = path.join(files, 'map.svg');
    const svg = await cli(dir, 'map', 'export', '--engagement', 'HERON', '--format', 'svg', '-o', svgFile);
    expect(svg.code).toBe(0);
    expect(XMLValidator.validate(fs.readFileSync(svgFile, 'utf8'))).toBe(true);
    expect(JSON.parse((await cli(dir, 'map', 'export', '--engagement', 'HERON', '--format', 'json')).stdout)).toMatchObject({
      format: 'outpost-map',
      version: 1,
    });
    expect((await cli(dir, 'map', 'export', '--engagement', 'HERON', '--format', 'md')).stdout).toContain('## Integrations (2)');
    expect((await cli(dir, 'map', 'export', '--engagement', 'HERON', '--format', 'csv')).stdout.split('\r\n')[0]).toBe(
      'name,kind,vendor,version,owner,zone,status,tags,inbound,outbound,notes',
    );
  }, 120_000);

  it('rejects a bad CSV with per-row errors and imports nothing; Latin-1 and --map work', async () => {
    const { dir, write } = await withEngagement();
    const bad = write('bad.csv', 'name,kind\nERP,application\nerp,database\nMainframe,quantum\n,api\n');
    const dry = await cli(dir, 'map', 'import', '--engagement', 'HERON', bad, '--dry-run');
    expect(dry.code).toBe(1);
    expect(dry.stdout).toContain('row 3: duplicate name "erp" (also on row 2)');
    const result = await cli(dir, 'map', 'import', '--engagement', 'HERON', bad);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^outpost: 3 problems in the file; nothing was imported\n {2}- row 3: duplicate name/);
    expect(result.stderr).toContain('row 4: unknown kind "quantum"');
    expect(result.stderr).toContain('row 5: the name is empty');
    expect(JSON.parse((await cli(dir, 'map', 'show', '--engagement', 'HERON', '--json')).stdout).systems).toEqual([]);

    const missing = await cli(dir, 'map', 'import', '--engagement', 'HERON', write('m.csv', 'vendor\nSAP\n'));
    expect(missing).toMatchObject({ code: 1 });
    expect(missing.stderr).toMatch(/Missing required columns/);

    const latin1 = Buffer.concat([Buffer.from('Asset;Cat\r\nM'), Buffer.from([0xfc]), Buffer.from('nchen ERP;ERP\r\n')]);
    const ok = await cli(dir, 'map', 'import', '--engagement', 'HERON', write('l.csv', latin1), '--map', 'Asset=name,Cat=kind');
    expect(ok.code).toBe(0);
    expect(JSON.parse((await cli(dir, 'map', 'show', '--engagement', 'HERON', '--json')).stdout).systems[0].name).toBe('München ERP');

    expect((await cli(dir, 'map', 'import', '--engagement', 'HERON', bad, '--map', 'name=colour')).stderr).toMatch(
      /Unknown field "colour"/,
    );
    expect((await cli(dir, 'map', 'export', '--engagement', 'HERON', '--format', 'png')).code).toBe(2);
    expect((await cli(dir, 'map', 'export', '--engagement', 'NOPE', '--format', 'json')).stderr).toMatch(/No engagement/);
    expect((await cli(dir, 'map', 'import', '--engagement', 'HERON', '/nonexistent/x.csv')).stderr).toMatch(/Cannot read/);
  }, 120_000);
});
