import type { Notebook } from '../notebook/notebook';
import type { PdfPrinter } from '../stakeholders/pdf-printer';
import { StakeholderService } from '../stakeholders/stakeholder-service';
import type { BundleTransfers } from '../sync/bundle-transfers';
import type { Handlers } from './handlers';

export type StakeholderCallName = 'stakeholders.brief' | 'stakeholders.briefDownload' | 'stakeholders.jargon' | 'stakeholders.setJargon';

/**
 * Briefs over the contract. A download (HTML, Markdown or PDF) goes to the same one-time store as
 * exported bundles (GET /bundles/<token>, once, for this connection only): no file is written on
 * the way, and the desktop app's window, which loads nothing but app://, can save it.
 */
export function createStakeholderHandlers(
  notebook: Notebook,
  transfers: BundleTransfers,
  printer: () => PdfPrinter,
): Pick<Handlers, StakeholderCallName> {
  const service = new StakeholderService(notebook.db, notebook.docs, notebook.engagements, printer);
  const prepared = () => notebook.device.name;
  return {
    'stakeholders.brief': async ({ engagementId, audience, cardIds, date, format }) => {
      const result = await service.brief(engagementId, { audience, cardIds, date, format, preparedBy: prepared() });
      return { fileName: result.fileName, content: result.content as string, omitted: result.omitted };
    },
    'stakeholders.briefDownload': async ({ engagementId, audience, cardIds, date, format }, connection) => {
      const result = await service.brief(engagementId, { audience, cardIds, date, format, preparedBy: prepared() });
      const bytes = typeof result.content === 'string' ? new TextEncoder().encode(result.content) : result.content;
      const { token, expiresAt } = transfers.downloads.put(connection.id, { fileName: result.fileName, bytes });
      return { token, expiresAt, fileName: result.fileName, bytes: bytes.length, omitted: result.omitted };
    },
    'stakeholders.jargon': async () => ({ terms: await service.jargon() }),
    'stakeholders.setJargon': async ({ terms }) => ({ terms: await service.setJargon(terms) }),
  };
}
