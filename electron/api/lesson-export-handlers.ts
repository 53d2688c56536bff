import { LessonExportService } from '../lessons/lesson-export';
import type { Notebook } from '../notebook/notebook';
import type { PdfPrinter } from '../stakeholders/pdf-printer';
import type { BundleTransfers } from '../sync/bundle-transfers';
import type { Handlers } from './handlers';

export type LessonExportCallName =
  | 'lessons.redactionDictionary'
  | 'lessons.setRedactionOverrides'
  | 'lessons.addRedactionOverrides'
  | 'lessons.exportPreview'
  | 'lessons.exportDownload';

/**
 * Sanitized sharing over the contract. The preview runs the whole export (sanitizing, rendering,
 * final scan) without writing anything; a download goes to the one-time download store
 * (GET /bundles/<token>, once, for this connection only) and is refused while the final scan
 * finds anything neither replaced nor allowed.
 */
export function createLessonExportHandlers(
  notebook: Notebook,
  transfers: BundleTransfers,
  printer: () => PdfPrinter,
): Pick<Handlers, LessonExportCallName> {
  const service = new LessonExportService(notebook.db, notebook.docs, () => notebook.settings.classificationLevels, printer);
  return {
    'lessons.redactionDictionary': async ({ selection }) => service.dictionary(selection),
    'lessons.setRedactionOverrides': async ({ overrides }) => ({ overrides: await service.setOverrides(overrides) }),
    'lessons.addRedactionOverrides': async ({ overrides }) => ({ overrides: await service.addOverrides(overrides) }),
    'lessons.exportPreview': async (request) => (await service.prepare(request)).preview,
    'lessons.exportDownload': async (request, connection) => {
      const { fileName, bytes, outcome } = await service.produce(request);
      const { token, expiresAt } = transfers.downloads.put(connection.id, { fileName, bytes });
      return { token, expiresAt, fileName, bytes: bytes.length, lessons: outcome.preview.lessons, leftOut: outcome.preview.leftOut.length };
    },
  };
}
