import { XMLParser, XMLValidator } from 'fast-xml-parser';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyMapChanges, readMap } from '../../../shared/map/doc';
import { inventoryCsv, inventoryMarkdown, mapToJson, mapToMermaid, mermaidLabel } from '../../../shared/map/export';
import { mapJsonSchema } from '../../../shared/map/model';
import { mapToSvg } from '../../../shared/map/svg';
import { tracePaths } from '../../../shared/map/trace';

const ids = Array.from({ length: 6 }, (_, i) => `0000000${i}-0000-4000-8000-000000000000`);
const [ERP, WMS, MES, PLC, LAKE, Z] = ids as [string, string, string, string, string, string];

function sampleMap() {
  const doc = new Y.Doc();
  applyMapChanges(doc, [
    { op: 'addZone', zone: { id: Z, name: 'OT <plant> & "floor"', kind: 'ot' } },
    { op: 'addSystem', system: { id: ERP, name: 'SAP "ECC" <6.0> & co #1', vendor: 'SAP', x: 0, y: 0 } },
    { op: 'addSystem', system: { id: WMS, name: 'WMS | Manhattan', kind: 'database', status: 'degraded', x: 300, y: 0 } },
    { op: 'addSystem', system: { id: MES, name: 'MES', zone: Z, status: 'broken', x: 600, y: 0 } },
    { op: 'addSystem', system: { id: PLC, name: 'Line 3 PLC', kind: 'device', zone: Z } },
    { op: 'addSystem', system: { id: LAKE, name: '=cmd|calc', notes: 'line one\nline two', tags: ['a', 'b'] } },
    { op: 'addIntegration', integration: { from: ERP, to: WMS, protocol: 'SFTP/file', format: 'fixed-width', label: 'orders' } },
    { op: 'addIntegration', integration: { from: WMS, to: MES, protocol: 'REST', format: 'JSON' } },
    { op: 'addIntegration', integration: { from: MES, to: PLC, protocol: 'OPC-UA', direction: 'two-way' } },
    { op: 'addIntegration', integration: { from: MES, to: ERP, protocol: 'IDoc', format: 'XML' } },
    { op: 'addIntegration', integration: { from: ERP, to: MES, protocol: 'ODBC/JDBC', format: 'CSV', status: 'broken' } },
    { op: 'addIntegration', integration: { from: LAKE, to: LAKE, protocol: 'batch' } },
  ]);
  return readMap(doc).map;
}

describe('map exports', () => {
  it('Mermaid: a flowchart whose labels cannot break out of their quotes', () => {
    const text = mapToMermaid(sampleMap());
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('flowchart LR');
    // Every line is one of the statement shapes the exporter writes (a small grammar).
    const shapes = [
      /^ {2}subgraph z\d+\["[^"]*"\]$/,
      /^ {2}end$/,
      /^ {2,4}s\d+\["[^"]*"\]$/,
      /^ {2}s\d+ (-->|<-->)(\|"[^"|]*"\|)? s\d+$/,
      /^ {2}classDef \w+ stroke:#[0-9a-f]{6},stroke-width:2px$/,
      /^ {2}class s\d+(,s\d+)* \w+$/,
    ];
    for (const line of lines.slice(1))
      expect(
        shapes.some((shape) => shape.test(line)),
        line,
      ).toBe(true);
    expect(text).toContain('SAP #quot;ECC#quot; #lt;6.0#gt; &amp; co #35;1'.replace('&amp;', '&'));
    expect(text).toMatch(/s\d+ <-->\|"OPC-UA"\| s\d+/);
    expect(mermaidLabel('a\nb "c" #d')).toBe('a b #quot;c#quot; #35;d');
    const subgraphs = lines.filter((l) => l.includes('subgraph')).length;
    expect(lines.filter((l) => l.trim() === 'end').length).toBe(subgraphs);
  });

  it('SVG: well-formed XML with every name escaped', () => {
    const svg = mapToSvg(sampleMap(), 'HERON <map>');
    expect(XMLValidator.validate(svg)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false }).parse(svg);
    expect(parsed.svg.title).toBe('HERON <map>');
    expect(svg).toContain('SAP &quot;ECC&quot; &lt;6.0&gt; &amp; co #1');
    expect(svg.match(/<g class="system">/g)).toHaveLength(5);
    expect(svg.match(/<g class="integration">/g)).toHaveLength(6);
    expect(XMLValidator.validate(mapToSvg({ systems: [], integrations: [], zones: [] }))).toBe(true);
    expect(
      XMLValidator.validate(
        mapToSvg({ ...sampleMap(), systems: sampleMap().systems.map((s) => ({ ...s, name: 'bad \u0001\u0008 chars' })) }),
      ),
    ).toBe(true);
  });

  it('JSON: every field, in the documented versioned shape', () => {
    const map = sampleMap();
    const parsed = mapJsonSchema.parse(JSON.parse(mapToJson(map)));
    expect(parsed.systems).toEqual(map.systems);
    expect(parsed.integrations).toHaveLength(6);
  });

  it('inventory: Markdown tables with pipes escaped, CSV that round-trips and defuses formulas', () => {
    const map = sampleMap();
    const md = inventoryMarkdown(map, 'HERON');
    expect(md).toContain('## Systems (5)');
    expect(md).toContain('WMS \\| Manhattan');
    expect(md).toContain('line one line two');
    const table = md.split('\n').filter((l) => l.startsWith('| '));
    for (const line of table) expect(line.replace(/\\\|/g, '').split('|').length).toBe(table[0]?.split('|').length);
    const csv = inventoryCsv(map);
    const rows = Papa.parse<string[]>(csv.trim()).data;
    expect(rows[0]).toEqual(['name', 'kind', 'vendor', 'version', 'owner', 'zone', 'status', 'tags', 'inbound', 'outbound', 'notes']);
    expect(rows.find((r) => r[0] === "'=cmd|calc")?.[10]).toBe('line one\nline two');
    expect(rows.find((r) => r[0] === 'MES')?.slice(5, 10)).toEqual(['OT <plant> & "floor"', 'Broken', '', '2', '2']);
    const integrations = Papa.parse<string[]>(inventoryCsv(map, 'integrations').trim()).data;
    expect(integrations).toHaveLength(7);
  });

  it('inventory Markdown: markup in a field is shown as text, never written raw', () => {
    const map = sampleMap();
    const evil = map.systems[0] as (typeof map.systems)[number];
    evil.name = '<img src=x onerror=alert(1)>';
    evil.vendor = '[click](javascript:alert(1)) **bold** <script>';
    const md = inventoryMarkdown(map, '<b>HERON</b>');
    expect(md).not.toMatch(/<img|<script|<b>/);
    expect(md).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(md).toContain('\\[click\\](javascript:alert(1)) \\*\\*bold\\*\\*');
  });
});

describe('trace', () => {
  it('lists paths shortest first, with protocol and format per hop, following direction', () => {
    const map = sampleMap();
    const { paths, truncated } = tracePaths(map, ERP, PLC);
    expect(truncated).toBe(false);
    expect(paths.map((p) => p.map((h) => `${h.protocol}/${h.format}`))).toEqual([
      ['ODBC/JDBC/CSV', 'OPC-UA/'],
      ['SFTP/file/fixed-width', 'REST/JSON', 'OPC-UA/'],
    ]);
    // PLC -> MES only over the two-way link, then MES -> ERP.
    const back = tracePaths(map, PLC, ERP).paths;
    expect(back).toHaveLength(1);
    expect(back[0]?.map((h) => [h.from, h.to, h.reversed])).toEqual([
      [PLC, MES, true],
      [MES, ERP, false],
    ]);
    expect(tracePaths(map, LAKE, ERP).paths).toEqual([]);
    expect(tracePaths(map, ERP, ERP).paths).toEqual([]);
    expect(tracePaths(map, WMS, ERP, { maxPaths: 1 })).toMatchObject({ truncated: true });
  });

  it('stays fast on a large map full of cycles', () => {
    const doc = new Y.Doc();
    const n = 1000;
    const systems = Array.from({ length: n }, (_, i) => ({ op: 'addSystem' as const, system: { name: `s${i}` } }));
    const { created } = applyMapChanges(doc, systems);
    const edges = Array.from({ length: 3000 }, (_, i) => ({
      op: 'addIntegration' as const,
      integration: { from: created[i % n] as string, to: created[(i * 37 + Math.floor(i / n) * 101 + 1) % n] as string, protocol: 'REST' },
    }));
    applyMapChanges(doc, edges);
    const map = readMap(doc).map;
    const started = performance.now();
    const result = tracePaths(map, created[0] as string, created[n - 1] as string);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(result.paths.length).toBeGreaterThan(0);
    for (let i = 1; i < result.paths.length; i++)
      expect(result.paths[i]?.length).toBeGreaterThanOrEqual(result.paths[i - 1]?.length as number);
  });
});
