import { openTempNotebook } from './notebook';

/** A notebook with engagement HERON (up to SECRET), a CUI incident note and a SECRET decision. */
export async function siteWithNotes() {
  const a = await openTempNotebook();
  const heron = await a.engagements.create({ client: 'Acme Logistics', codename: 'HERON', ceiling: 'SECRET' });
  const open = await a.notes.create({
    engagementId: heron.id,
    type: 'incident',
    title: 'Late picks at wave release',
    classification: 'CUI',
    markdown: 'The ERP throttles the pick API to five requests per second.',
  });
  const secret = await a.notes.create({
    engagementId: heron.id,
    type: 'decision',
    title: 'Operation NIGHTJAR relocation',
    classification: 'SECRET',
    markdown: 'Move the enclave gateway to building QUARTZWING before the audit.',
  });
  return { a, heron, open, secret };
}
