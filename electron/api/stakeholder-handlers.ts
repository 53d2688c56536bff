import type { Notebook } from '../notebook/notebook';
import type { PdfPrinter } from '../stakeholders/pdf-printer';
import { StakeholderService } from '../stakeholders/stakeholder-service';
import type { BundleTransfers } from '../sync/bundle-transfers';
import type { Handlers } from './handlers';

export type StakeholderCallName = 'stakeholders.brief' | 'stakeholders.briefPdf' | 'stakeholders.jargon' | 'stakeholders.setJargon';

/**
 * Briefs over the contract. A PDF goes to the same one-time download store as exported bundles
 * (GET /bundles/<token>, once, for this connection only), so no file is written on the way.
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
    'stakeholders.briefPdf': async ({ engagementId, audience, cardIds, date }, connection) => {
      const result = await service.brief(engagementId, { audience, cardIds, date, format: 'pdf', preparedBy: prepared() });
      const bytes = result.content as Uint8Array;
      const { token, expiresAt } = transfers.downloads.put(connection.id, { fileName: result.fileName, bytes });
      return { token, expiresAt, fileName: result.fileName, bytes: bytes.length, omitted: result.omitted };
    },
    'stakeholders.jargon': async () => ({ terms: await service.jargon() }),
    'stakeholders.setJargon': async ({ terms }) => ({ terms: await service.setJargon(terms) }),
  };
}
