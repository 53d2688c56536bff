import { inventoryCsv, inventoryMarkdown, mapToJson, mapToMermaid } from '../../shared/map/export';
import { fillMissingPositions } from '../../shared/map/layout';
import type { EnvironmentMap } from '../../shared/map/model';
import { mapToSvg } from '../../shared/map/svg';

export type ExportKind = 'svg' | 'png' | 'mermaid' | 'json' | 'csv' | 'integrations-csv' | 'md';

export const EXPORT_LABELS: Record<ExportKind, string> = {
  svg: 'SVG image',
  png: 'PNG image',
  mermaid: 'Mermaid flowchart',
  json: 'JSON',
  csv: 'Systems inventory (CSV)',
  'integrations-csv': 'Integrations (CSV)',
  md: 'Inventory (Markdown)',
};

function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Draws the SVG into a canvas (2× for print) and encodes it as PNG. */
async function svgToPng(svg: string): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const scale = Math.min(2, 16_000 / Math.max(image.naturalWidth, image.naturalHeight, 1));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(image.naturalWidth * scale));
    canvas.height = Math.max(1, Math.round(image.naturalHeight * scale));
    const context = canvas.getContext('2d');
    if (!context) throw new Error('This browser cannot draw a PNG');
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('The PNG could not be encoded'))), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Exports the map as shown (positions from the doc; unplaced systems on a grid), as a download. */
export async function exportMap(map: EnvironmentMap, kind: ExportKind, codename: string): Promise<void> {
  const base = codename.replace(/[^\p{L}\p{N}._-]+/gu, '_') || 'map';
  const positions = fillMissingPositions(map);
  const placed = { ...map, systems: map.systems.map((s) => ({ ...s, ...positions.get(s.id) })) };
  const title = `${codename} — environment map`;
  switch (kind) {
    case 'svg':
      return download(new Blob([mapToSvg(placed, title)], { type: 'image/svg+xml' }), `${base}-map.svg`);
    case 'png':
      return download(await svgToPng(mapToSvg(placed, title)), `${base}-map.png`);
    case 'mermaid':
      return download(new Blob([mapToMermaid(map)], { type: 'text/plain' }), `${base}-map.mmd`);
    case 'json':
      return download(new Blob([mapToJson(map)], { type: 'application/json' }), `${base}-map.json`);
    case 'csv':
      return download(new Blob([inventoryCsv(map, 'systems')], { type: 'text/csv' }), `${base}-systems.csv`);
    case 'integrations-csv':
      return download(new Blob([inventoryCsv(map, 'integrations')], { type: 'text/csv' }), `${base}-integrations.csv`);
    case 'md':
      return download(
        new Blob([inventoryMarkdown(map, `${codename} — system inventory`)], { type: 'text/markdown' }),
        `${base}-inventory.md`,
      );
  }
}
