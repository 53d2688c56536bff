import type { Notebook } from '../notebook/notebook';
import type { PdfPrinter } from '../stakeholders/pdf-printer';
import { StakeholderService } from '../stakeholders/stakeholder-service';
import type { BundleTransfers } from '../sync/bundle-transfers';
import type { Handlers } from './handlers';

export type StakeholderCallName =
  | 'stakeholders.brief'
  | 'stakeholders.briefDownload'
  | 'stakeholders.jargon'
  | 'stakeholders.setJargon'
  | 'stakeholders.list'
  | 'stakeholders.add'
  | 'stakeholders.resolve'
  | 'stakeholders.remove'
  | 'cards.list'
  | 'cards.add'
  | 'cards.setRendering';

/**
 * Briefs over the contract, and the registry and cards for the command line (the app edits them
 * in its replica of the engagement doc; these edit the same doc on the main side). A download (HTML, Markdown or PDF) goes to the same one-time store as
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
      return {
        token,
        expiresAt,
        fileName: result.fileName,
        bytes: bytes.length,
        omitted: result.omitted,
        title: result.brief.title,
        audienceLabel: result.brief.audienceLabel,
        cards: result.brief.items.length,
      };
    },
    'stakeholders.list': ({ engagementId }) => service.list(engagementId),
    'stakeholders.add': ({ engagementId, stakeholder }) => service.add(engagementId, stakeholder),
    'stakeholders.resolve': ({ engagementId, ref }) => service.resolveStakeholder(engagementId, ref),
    'stakeholders.remove': async ({ engagementId, id }) => {
      await service.remove(engagementId, id);
      return {};
    },
    'cards.list': async ({ engagementId }) => ({ cards: await service.cards(engagementId) }),
    'cards.add': ({ engagementId, card }) => service.addCard(engagementId, card),
    'cards.setRendering': ({ engagementId, cardId, audience, patch }) => service.setRendering(engagementId, cardId, audience, patch),
    'stakeholders.jargon': async () => ({ terms: await service.jargon() }),
    'stakeholders.setJargon': async ({ terms }) => ({ terms: await service.setJargon(terms) }),
  };
}
