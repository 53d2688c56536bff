import { OutpostError } from '../../shared/errors';
import { docIdFor } from '../../shared/ids';
import type { MapExportFormat } from '../../shared/map/calls';
import { type ColumnMapping, type ImportPlan, planImport } from '../../shared/map/csv-import';
import { type AppliedChanges, applyMapChanges, type MapReading, readMap } from '../../shared/map/doc';
import { inventoryCsv, inventoryMarkdown, mapToJson, mapToMermaid } from '../../shared/map/export';
import type { MapChange } from '../../shared/map/model';
import { mapToSvg } from '../../shared/map/svg';
import { type TraceOptions, type TraceResult, tracePaths } from '../../shared/map/trace';
import type { DocStore } from '../docs/doc-store';
import type { EngagementService } from '../engagements/engagement-service';
import { layoutMap, placedMap } from './layout';

const FORMAT_FILES: Record<MapExportFormat, { suffix: string; mime: string }> = {
  mermaid: { suffix: '-map.mmd', mime: 'text/plain' },
  json: { suffix: '-map.json', mime: 'application/json' },
  svg: { suffix: '-map.svg', mime: 'image/svg+xml' },
  md: { suffix: '-inventory.md', mime: 'text/markdown' },
  csv: { suffix: '-systems.csv', mime: 'text/csv' },
  'integrations-csv': { suffix: '-integrations.csv', mime: 'text/csv' },
};

/**
 * The environment map of an engagement, on the main side: reads and changes go to the
 * engagement's Y.Doc through the DocStore (so they are logged, projected and synced to open
 * replicas like any edit), imports are planned first and applied all at once, exports are
 * computed from the doc.
 */
export class MapService {
  constructor(
    private readonly docs: DocStore,
    private readonly engagements: EngagementService,
  ) {}

  private async doc(engagementId: string) {
    await this.engagements.get(engagementId); // not_found for an unknown engagement
    return this.docs.open(docIdFor('engagement', engagementId));
  }

  async read(engagementId: string): Promise<MapReading> {
    return readMap(await this.doc(engagementId));
  }

  async change(engagementId: string, changes: MapChange[]): Promise<AppliedChanges> {
    const doc = await this.doc(engagementId);
    const applied = applyMapChanges(doc, changes);
    await this.docs.flush(docIdFor('engagement', engagementId));
    return applied;
  }

  async planImport(engagementId: string, csv: string, mapping?: ColumnMapping): Promise<ImportPlan> {
    return planImport(csv, (await this.read(engagementId)).map, mapping);
  }

  /** Applies an import only if no row is rejected: every row in one transaction, or nothing. */
  async applyImport(engagementId: string, csv: string, mapping?: ColumnMapping): Promise<ImportPlan> {
    const doc = await this.doc(engagementId);
    const plan = planImport(csv, readMap(doc).map, mapping);
    if (plan.errors.length) {
      throw new OutpostError(
        'invalid_request',
        `${plan.errors.length} ${plan.errors.length === 1 ? 'problem' : 'problems'} in the file; nothing was imported`,
        plan.errors.slice(0, 50).map((e) => (e.row ? `row ${e.row}: ${e.message}` : e.message)),
      );
    }
    if (!plan.changes.length) throw new OutpostError('invalid_request', 'The file has no rows to import');
    applyMapChanges(doc, plan.changes);
    await this.docs.flush(docIdFor('engagement', engagementId));
    return plan;
  }

  /** Lays the whole map out (layered, left to right) and saves the positions as one change. */
  async autoLayout(engagementId: string): Promise<number> {
    const positions = await layoutMap((await this.read(engagementId)).map);
    if (positions.length) await this.change(engagementId, [{ op: 'moveSystems', positions }]);
    return positions.length;
  }

  /** Systems whose name contains `query` (case-insensitive), names starting with it first. */
  async findSystems(engagementId: string, query: string, limit = 8): Promise<{ id: string; name: string; kind: string }[]> {
    const wanted = query.trim().toLowerCase();
    const { map } = await this.read(engagementId);
    return map.systems
      .filter((s) => s.name.toLowerCase().includes(wanted))
      .sort((a, b) => Number(!a.name.toLowerCase().startsWith(wanted)) - Number(!b.name.toLowerCase().startsWith(wanted)))
      .slice(0, limit)
      .map((s) => ({ id: s.id, name: s.name, kind: s.kind }));
  }

  async trace(engagementId: string, from: string, to: string, options?: TraceOptions): Promise<TraceResult> {
    return tracePaths((await this.read(engagementId)).map, from, to, options);
  }

  async export(engagementId: string, format: MapExportFormat): Promise<{ text: string; fileName: string; mime: string }> {
    const engagement = await this.engagements.get(engagementId);
    const { map } = await this.read(engagementId);
    const title = `${engagement.codename} — environment map`;
    let text: string;
    switch (format) {
      case 'mermaid':
        text = mapToMermaid(map);
        break;
      case 'json':
        text = mapToJson(map);
        break;
      case 'svg':
        text = mapToSvg(await placedMap(map), title);
        break;
      case 'md':
        text = inventoryMarkdown(map, `${engagement.codename} — system inventory`);
        break;
      case 'csv':
        text = inventoryCsv(map, 'systems');
        break;
      case 'integrations-csv':
        text = inventoryCsv(map, 'integrations');
        break;
    }
    const file = FORMAT_FILES[format];
    return { text, fileName: `${engagement.codename.replace(/[^\p{L}\p{N}._-]+/gu, '_')}${file.suffix}`, mime: file.mime };
  }
}
