import { fillMissingPositions, zoneBoxes } from './layout';
import { type EnvironmentMap, MAP_STATUS_COLORS, MAP_STATUS_LABELS, NODE_SIZE, SYSTEM_KIND_LABELS, ZONE_KIND_LABELS } from './model';

/** Drops the characters XML 1.0 forbids (C0 controls except tab, newline, carriage return; U+FFFE, U+FFFF). */
function dropForbidden(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0xfffe || code === 0xffff) continue;
    out += char;
  }
  return out;
}

/** Text for SVG/XML content and attribute values; control characters XML forbids are dropped. */
export function xmlEscape(text: string): string {
  return dropForbidden(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}

const FONT = 'font-family="system-ui, -apple-system, Segoe UI, sans-serif"';

/**
 * The map as a standalone SVG document (what goes into a report): zones as labelled boxes,
 * systems as boxes outlined in their status colour, integrations as arrows labelled with
 * protocol and format. Positions are the systems' saved ones; systems without one are placed on
 * a grid below. Every text is escaped, so the output is well-formed XML whatever the names hold.
 */
export function mapToSvg(map: EnvironmentMap, title = 'Environment map'): string {
  const positions = fillMissingPositions(map);
  const boxes = zoneBoxes(map, positions);
  let minX = 0;
  let minY = 0;
  let maxX: number = NODE_SIZE.width;
  let maxY: number = NODE_SIZE.height;
  for (const p of positions.values()) {
    minX = Math.min(minX, p.x);
    minY = Math.min(minY, p.y);
    maxX = Math.max(maxX, p.x + NODE_SIZE.width);
    maxY = Math.max(maxY, p.y + NODE_SIZE.height);
  }
  for (const b of boxes.values()) {
    minX = Math.min(minX, b.x);
    minY = Math.min(minY, b.y);
    maxX = Math.max(maxX, b.x + b.width);
    maxY = Math.max(maxY, b.y + b.height);
  }
  const margin = 30;
  const width = Math.ceil(maxX - minX + 2 * margin);
  const height = Math.ceil(maxY - minY + 2 * margin);
  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="${Math.floor(minX - margin)} ${Math.floor(minY - margin)} ${width} ${height}" role="img">`,
  );
  out.push(`<title>${xmlEscape(title)}</title>`);
  out.push('<defs>');
  out.push('<marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse">');
  out.push('<path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker>');
  out.push('</defs>');
  out.push(`<rect x="${minX - margin}" y="${minY - margin}" width="${width}" height="${height}" fill="#ffffff"/>`);
  for (const zone of map.zones) {
    const b = boxes.get(zone.id);
    if (!b) continue;
    out.push(
      `<g class="zone"><rect x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" rx="10" fill="#f3f5f8" stroke="#9aa5b1" stroke-dasharray="6 4"/>`,
    );
    out.push(
      `<text x="${b.x + 10}" y="${b.y + 18}" ${FONT} font-size="13" font-weight="600" fill="#3c4650">${xmlEscape(clip(zone.name.toLowerCase() === ZONE_KIND_LABELS[zone.kind].toLowerCase() ? zone.name : `${zone.name} · ${ZONE_KIND_LABELS[zone.kind]}`, 60))}</text></g>`,
    );
  }
  const W = NODE_SIZE.width;
  const H = NODE_SIZE.height;
  for (const i of map.integrations) {
    const a = positions.get(i.from);
    const b = positions.get(i.to);
    if (!a || !b) continue;
    const color = i.status === 'healthy' ? '#555' : MAP_STATUS_COLORS[i.status];
    let d: string;
    let lx: number;
    let ly: number;
    if (i.from === i.to) {
      d = `M${a.x + W},${a.y + H / 2} C${a.x + W + 60},${a.y + H / 2} ${a.x + W + 60},${a.y - 40} ${a.x + W / 2},${a.y}`;
      lx = a.x + W + 40;
      ly = a.y - 20;
    } else {
      const x1 = a.x + W;
      const y1 = a.y + H / 2;
      const x2 = b.x;
      const y2 = b.y + H / 2;
      const bend = Math.max(40, Math.abs(x2 - x1) / 2);
      d = `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`;
      lx = (x1 + x2) / 2;
      ly = (y1 + y2) / 2 - 6;
    }
    const markers = `marker-end="url(#arrow)"${i.direction === 'two-way' ? ' marker-start="url(#arrow)"' : ''}`;
    const dash = i.status === 'planned' || i.status === 'retired' ? ' stroke-dasharray="5 4"' : '';
    out.push(`<g class="integration"><path d="${d}" fill="none" stroke="${color}" stroke-width="1.6"${dash} ${markers}/>`);
    const label = [i.label, i.protocol, i.format].filter(Boolean).join(' · ');
    if (label) {
      out.push(
        `<text x="${lx}" y="${ly}" text-anchor="middle" ${FONT} font-size="11" fill="#333" paint-order="stroke" stroke="#fff" stroke-width="3">${xmlEscape(clip(label, 48))}</text>`,
      );
    }
    out.push('</g>');
  }
  for (const s of map.systems) {
    const p = positions.get(s.id);
    if (!p) continue;
    const color = MAP_STATUS_COLORS[s.status];
    const sub = [SYSTEM_KIND_LABELS[s.kind], s.vendor].filter(Boolean).join(' · ');
    out.push(`<g class="system"><title>${xmlEscape(`${s.name} — ${MAP_STATUS_LABELS[s.status]}`)}</title>`);
    out.push(
      `<rect x="${p.x}" y="${p.y}" width="${W}" height="${H}" rx="8" fill="#ffffff" stroke="${color}" stroke-width="2.5"${s.status === 'retired' ? ' stroke-dasharray="5 4"' : ''}/>`,
    );
    out.push(`<rect x="${p.x}" y="${p.y}" width="6" height="${H}" rx="3" fill="${color}"/>`);
    out.push(
      `<text x="${p.x + 16}" y="${p.y + 26}" ${FONT} font-size="14" font-weight="600" fill="#1d2329">${xmlEscape(clip(s.name, 22))}</text>`,
    );
    out.push(`<text x="${p.x + 16}" y="${p.y + 46}" ${FONT} font-size="11" fill="#56606a">${xmlEscape(clip(sub, 30))}</text></g>`);
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
