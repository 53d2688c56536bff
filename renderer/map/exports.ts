import { encodeBytes } from '../../shared/bytes';
import { inventoryCsv, inventoryMarkdown, mapToJson, mapToMermaid } from '../../shared/map/export';
import { fillMissingPositions } from '../../shared/map/layout';
import type { EnvironmentMap } from '../../shared/map/model';
import { mapToSvg } from '../../shared/map/svg';
import type { ApiClient } from '../api/client';
import { startDownload } from '../app/download';

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

/**
 * Saves a file the renderer made: handed to the one-time download store on the main side and
 * fetched from GET /bundles/<token> (the desktop window loads nothing but app://, so no blob: URLs).
 */
async function download(api: ApiClient, blob: Blob, fileName: string): Promise<void> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  const { token } = await api.call('map.download', { fileName, data: encodeBytes(bytes) });
  startDownload(token, fileName);
}

/** Draws the SVG into a canvas (2× for print) and encodes it as PNG. */
async function svgToPng(svg: string): Promise<Blob> {
  // A data: URL, not blob: (the desktop window refuses blob: requests).
  const url = `data:image/svg+xml;base64,${encodeBytes(new TextEncoder().encode(svg))}`;
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
}

/** Exports the map as shown (positions from the doc; unplaced systems on a grid), as a download. */
export async function exportMap(api: ApiClient, map: EnvironmentMap, kind: ExportKind, codename: string): Promise<void> {
  const base = codename.replace(/[^\p{L}\p{N}._-]+/gu, '_') || 'map';
  const positions = fillMissingPositions(map);
  const placed = { ...map, systems: map.systems.map((s) => ({ ...s, ...positions.get(s.id) })) };
  const title = `${codename} — environment map`;
  switch (kind) {
    case 'svg':
      return download(api, new Blob([mapToSvg(placed, title)], { type: 'image/svg+xml' }), `${base}-map.svg`);
    case 'png':
      return download(api, await svgToPng(mapToSvg(placed, title)), `${base}-map.png`);
    case 'mermaid':
      return download(api, new Blob([mapToMermaid(map)], { type: 'text/plain' }), `${base}-map.mmd`);
    case 'json':
      return download(api, new Blob([mapToJson(map)], { type: 'application/json' }), `${base}-map.json`);
    case 'csv':
      return download(api, new Blob([inventoryCsv(map, 'systems')], { type: 'text/csv' }), `${base}-systems.csv`);
    case 'integrations-csv':
      return download(api, new Blob([inventoryCsv(map, 'integrations')], { type: 'text/csv' }), `${base}-integrations.csv`);
    case 'md':
      return download(
        api,
        new Blob([inventoryMarkdown(map, `${codename} — system inventory`)], { type: 'text/markdown' }),
        `${base}-inventory.md`,
      );
  }
}
