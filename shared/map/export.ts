import Papa from 'papaparse';
import { escapeMarkdown } from '../escape';
import {
  type EnvironmentMap,
  MAP_STATUS_COLORS,
  MAP_STATUS_LABELS,
  MAP_STATUSES,
  type MapSystem,
  SYSTEM_KIND_LABELS,
  ZONE_KIND_LABELS,
} from './model';

/** The map as JSON: every field, versioned (`format`, `version`), ids kept so links survive. */
export function mapToJson(map: EnvironmentMap): string {
  return `${JSON.stringify({ format: 'outpost-map', version: 1, systems: map.systems, integrations: map.integrations, zones: map.zones }, null, 2)}\n`;
}

/**
 * Text inside a Mermaid quoted label. Mermaid reads `#…;` as an entity code, so `#` itself is
 * written as one, and quotes, angle brackets and line breaks become codes or spaces: nothing in a
 * name can end the label or inject markup.
 */
export function mermaidLabel(text: string): string {
  return text
    .replace(/#/g, '#35;')
    .replace(/"/g, '#quot;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/\|/g, '#124;')
    .replace(/[\r\n\t]+/g, ' ')
    .trim();
}

/** The map as a Mermaid flowchart (left to right), zones as subgraphs, status as classes. */
export function mapToMermaid(map: EnvironmentMap): string {
  const ids = new Map(map.systems.map((s, i) => [s.id, `s${i}`]));
  const lines = ['flowchart LR'];
  const node = (s: MapSystem, indent: string) => {
    const sub = [SYSTEM_KIND_LABELS[s.kind], s.vendor].filter(Boolean).join(' · ');
    lines.push(`${indent}${ids.get(s.id)}["${mermaidLabel(s.name)}${sub ? `<br/><small>${mermaidLabel(sub)}</small>` : ''}"]`);
  };
  map.zones.forEach((zone, index) => {
    const members = map.systems.filter((s) => s.zone === zone.id);
    if (!members.length) return;
    lines.push(`  subgraph z${index}["${mermaidLabel(`${zone.name} (${ZONE_KIND_LABELS[zone.kind]})`)}"]`);
    for (const s of members) node(s, '    ');
    lines.push('  end');
  });
  for (const s of map.systems) if (!s.zone) node(s, '  ');
  for (const i of map.integrations) {
    const label = [i.label, i.protocol, i.format].filter(Boolean).join(' · ');
    const arrow = i.direction === 'two-way' ? '<-->' : '-->';
    lines.push(`  ${ids.get(i.from)} ${arrow}${label ? `|"${mermaidLabel(label)}"|` : ''} ${ids.get(i.to)}`);
  }
  for (const status of MAP_STATUSES) {
    const members = map.systems.filter((s) => s.status === status).map((s) => ids.get(s.id));
    if (!members.length) continue;
    lines.push(`  classDef ${status} stroke:${MAP_STATUS_COLORS[status]},stroke-width:2px`);
    lines.push(`  class ${members.join(',')} ${status}`);
  }
  return `${lines.join('\n')}\n`;
}

export interface InventoryTable {
  headers: string[];
  rows: string[][];
}

export function systemInventory(map: EnvironmentMap): InventoryTable {
  const zones = new Map(map.zones.map((z) => [z.id, z.name]));
  const inbound = new Map<string, number>();
  const outbound = new Map<string, number>();
  for (const i of map.integrations) {
    outbound.set(i.from, (outbound.get(i.from) ?? 0) + 1);
    inbound.set(i.to, (inbound.get(i.to) ?? 0) + 1);
  }
  return {
    headers: ['name', 'kind', 'vendor', 'version', 'owner', 'zone', 'status', 'tags', 'inbound', 'outbound', 'notes'],
    rows: map.systems.map((s) => [
      s.name,
      SYSTEM_KIND_LABELS[s.kind],
      s.vendor,
      s.version,
      s.owner,
      zones.get(s.zone) ?? '',
      MAP_STATUS_LABELS[s.status],
      s.tags.join(', '),
      String(inbound.get(s.id) ?? 0),
      String(outbound.get(s.id) ?? 0),
      s.notes,
    ]),
  };
}

export function integrationInventory(map: EnvironmentMap): InventoryTable {
  const names = new Map(map.systems.map((s) => [s.id, s.name]));
  return {
    headers: ['from', 'to', 'label', 'direction', 'protocol', 'format', 'frequency', 'auth', 'owner', 'status', 'issues'],
    rows: map.integrations.map((i) => [
      names.get(i.from) ?? '',
      names.get(i.to) ?? '',
      i.label,
      i.direction,
      i.protocol,
      i.format,
      i.frequency,
      i.auth,
      i.owner,
      MAP_STATUS_LABELS[i.status],
      i.issues,
    ]),
  };
}

/** A table cell: every field escaped like the other exports (no HTML, no markup), on one line. */
function markdownCell(text: string): string {
  return escapeMarkdown(text.replace(/[\r\n]+/g, ' ').trim());
}

function markdownTable(table: InventoryTable): string {
  const lines = [`| ${table.headers.join(' | ')} |`, `| ${table.headers.map(() => '---').join(' | ')} |`];
  for (const row of table.rows) lines.push(`| ${row.map(markdownCell).join(' | ')} |`);
  return lines.join('\n');
}

/** A printable inventory: systems, then integrations, as Markdown tables. */
export function inventoryMarkdown(map: EnvironmentMap, title = 'System inventory'): string {
  return `# ${markdownCell(title)}\n\n## Systems (${map.systems.length})\n\n${markdownTable(systemInventory(map))}\n\n## Integrations (${map.integrations.length})\n\n${markdownTable(integrationInventory(map))}\n`;
}

/** A cell a spreadsheet would run as a formula is prefixed with a quote (CSV injection). */
function csvCell(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** The inventory as CSV (CRLF, RFC 4180 quoting): the systems table, or the integrations table. */
export function inventoryCsv(map: EnvironmentMap, table: 'systems' | 'integrations' = 'systems'): string {
  const data = table === 'systems' ? systemInventory(map) : integrationInventory(map);
  return `${Papa.unparse({ fields: data.headers, data: data.rows.map((row) => row.map(csvCell)) }, { newline: '\r\n' })}\r\n`;
}
