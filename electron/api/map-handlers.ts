import { decodeBytes } from '../../shared/bytes';
import { MAX_REPORTED_ROW_ERRORS } from '../../shared/map/calls';
import type { ImportPlan } from '../../shared/map/csv-import';
import { MapService } from '../map/map-service';
import type { Notebook } from '../notebook/notebook';
import type { BundleTransfers } from '../sync/bundle-transfers';
import type { Handlers } from './handlers';

export type MapCallName =
  | 'map.importPreview'
  | 'map.importApply'
  | 'map.export'
  | 'map.findSystems'
  | 'map.download'
  | 'map.read'
  | 'map.layout'
  | 'map.trace'
  | 'map.exportDownload';

function preview(plan: ImportPlan) {
  return {
    kind: plan.kind,
    headers: plan.headers,
    mapping: plan.mapping,
    rows: plan.rows,
    preview: plan.preview,
    errors: plan.errors.slice(0, MAX_REPORTED_ROW_ERRORS),
    errorCount: plan.errors.length,
    counts: plan.counts,
  };
}

/**
 * The environment map's calls. Edits from the editor travel as Yjs updates of the engagement
 * replica (sync.message); these are the calls that need the main side: CSV import (planned,
 * then applied all at once), exports, and for the command line reading, laying out and tracing.
 */
export function createMapHandlers(notebook: Notebook, transfers: BundleTransfers): Pick<Handlers, MapCallName> {
  const maps = new MapService(notebook.docs, notebook.engagements);
  return {
    'map.importPreview': async ({ engagementId, csv, mapping }) => preview(await maps.planImport(engagementId, csv, mapping as never)),
    'map.importApply': async ({ engagementId, csv, mapping }) => {
      const { counts, rows } = await maps.applyImport(engagementId, csv, mapping as never);
      return { counts, rows };
    },
    'map.export': async ({ engagementId, format }) => maps.export(engagementId, format),
    'map.download': async ({ fileName, data }, connection) =>
      transfers.downloads.put(connection.id, { fileName, bytes: decodeBytes(data) }),
    'map.read': async ({ engagementId }) => maps.read(engagementId),
    'map.layout': async ({ engagementId }) => ({ systems: await maps.autoLayout(engagementId) }),
    'map.trace': async ({ engagementId, from, to, anyDirection }) => maps.trace(engagementId, from, to, { ignoreDirection: anyDirection }),
    'map.exportDownload': async ({ engagementId, format }, connection) => {
      const { text, fileName } = await maps.export(engagementId, format);
      const bytes = new TextEncoder().encode(text);
      return { ...transfers.downloads.put(connection.id, { fileName, bytes }), fileName, bytes: bytes.length };
    },
    'map.findSystems': async ({ engagementId, query, limit }) => ({ systems: await maps.findSystems(engagementId, query, limit) }),
  };
}
