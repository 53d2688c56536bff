import { describe, expect, it } from 'vitest';
import { ApiServer } from '../../../electron/api/api-server';
import { StakeholderService } from '../../../electron/stakeholders/stakeholder-service';
import type { Result } from '../../../shared/errors';
import { DEFAULT_JARGON } from '../../../shared/stakeholders/model';
import { openTempNotebook } from '../../helpers/notebook';
import { isPdf, pdfText } from '../../helpers/pdf';

function value<T>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

async function setup() {
  const notebook = await openTempNotebook();
  const api = new ApiServer(notebook);
  const session = api.connect(() => {});
  const heron = await notebook.engagements.create({ client: 'Acme', codename: 'HERON', ceiling: 'CUI' });
  const service = new StakeholderService(notebook.db, notebook.docs, notebook.engagements, () => {
    throw new Error('not used');
  });
  const maria = await service.add(heron.id, { name: 'Maria Lopez', role: 'Operations director', kind: 'operations' });
  const card = await service.addCard(heron.id, { title: 'Late picks', severity: 'high' });
  await service.setRendering(
    heron.id,
    card.id,
    { type: 'stakeholder', id: maria.id },
    {
      explanation: 'During the morning peak, pick suggestions arrive late.',
      ask: 'Approve <b>one</b> change.',
    },
  );
  const other = await service.addCard(heron.id, { title: 'Not for Maria' });
  return { api, session, heron, maria, card, other };
}

describe('stakeholder briefs over the API', () => {
  it('returns an HTML or Markdown brief and names the cards left out', async () => {
    const { session, heron, maria, card, other } = await setup();
    const request = { engagementId: heron.id, audience: { type: 'stakeholder', id: maria.id }, date: '2026-03-04' };
    const html = value<{ fileName: string; content: string; omitted: unknown[] }>(
      await session.call('stakeholders.brief', { ...request, format: 'html', cardIds: [card.id, other.id] }),
    );
    expect(html.fileName).toBe('HERON-brief-Maria-Lopez-2026-03-04.html');
    expect(html.content).toContain('<h1>Briefing for Maria Lopez</h1>');
    expect(html.content).toContain('Approve &lt;b&gt;one&lt;/b&gt; change.');
    expect(html.omitted).toEqual([{ id: other.id, title: 'Not for Maria' }]);
    const md = value<{ content: string }>(await session.call('stakeholders.brief', { ...request, format: 'md' }));
    expect(md.content).toContain('# Briefing for Maria Lopez');
  });

  it('prints a PDF to a one-time download', async () => {
    const { api, session, heron, maria } = await setup();
    const result = value<{ token: string; fileName: string; bytes: number }>(
      await session.call('stakeholders.briefDownload', {
        engagementId: heron.id,
        audience: { type: 'stakeholder', id: maria.id },
        date: '2026-03-04',
        format: 'pdf',
      }),
    );
    expect(result.fileName).toBe('HERON-brief-Maria-Lopez-2026-03-04.pdf');
    const download = await api.takeBundleDownload(result.token);
    expect(download?.bytes.length).toBe(result.bytes);
    expect(isPdf(download?.bytes as Uint8Array)).toBe(true);
    expect((await pdfText(download?.bytes as Uint8Array)).text).toContain('During the morning peak, pick suggestions arrive late.');
    expect(await api.takeBundleDownload(result.token)).toBeNull();
    const md = value<{ token: string; fileName: string }>(
      await session.call('stakeholders.briefDownload', {
        engagementId: heron.id,
        audience: { type: 'stakeholder', id: maria.id },
        date: '2026-03-04',
        format: 'md',
      }),
    );
    expect(md.fileName.endsWith('.md')).toBe(true);
    expect(new TextDecoder().decode((await api.takeBundleDownload(md.token))?.bytes)).toContain('# Briefing for Maria Lopez');
  }, 60_000);

  it('refuses bad requests with a clear error', async () => {
    const { session, heron } = await setup();
    const unknown = await session.call('stakeholders.brief', {
      engagementId: heron.id,
      audience: { type: 'stakeholder', id: '11111111-2222-4333-8444-555555555555' },
      date: '2026-03-04',
      format: 'html',
    });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const kind = await session.call('stakeholders.brief', {
      engagementId: heron.id,
      audience: { type: 'kind', kind: 'boss' },
      date: '2026-03-04',
      format: 'html',
    });
    expect(kind).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    const nothing = await session.call('stakeholders.brief', {
      engagementId: heron.id,
      audience: { type: 'kind', kind: 'vendor' },
      date: '2026-03-04',
      format: 'md',
    });
    expect(nothing.ok ? '' : nothing.error.message).toContain('Nothing to brief');
  });

  it('edits the registry and the cards for the command line, as edits other windows hear of', async () => {
    const { api, session, heron, maria, card } = await setup();
    const heard: string[] = [];
    api.connect((event) => heard.push(event));
    const dev = value<{ id: string; name: string; kind: string }>(
      await session.call('stakeholders.add', {
        engagementId: heron.id,
        stakeholder: { name: 'Dev Patel', role: 'ERP admin', kind: 'it_security', systems: ['SAP'] },
      }),
    );
    expect(dev).toMatchObject({ name: 'Dev Patel', kind: 'it_security' });
    expect(heard).toContain('engagements.changed');
    const listed = value<{ stakeholders: Array<{ name: string; untoldCards: number; duplicateName: boolean }> }>(
      await session.call('stakeholders.list', { engagementId: heron.id }),
    );
    expect(listed.stakeholders.map((s) => [s.name, s.untoldCards])).toEqual([
      ['Dev Patel', 2],
      ['Maria Lopez', 2],
    ]);
    expect(value<{ id: string }>(await session.call('stakeholders.resolve', { engagementId: heron.id, ref: ' maria LOPEZ ' })).id).toBe(
      maria.id,
    );
    const rendered = value<{ renderings: Array<{ audienceLabel: string; status: string }> }>(
      await session.call('cards.setRendering', {
        engagementId: heron.id,
        cardId: card.id,
        audience: { type: 'stakeholder', id: dev.id },
        patch: { explanation: 'Throttled.', status: 'delivered' },
      }),
    );
    expect(rendered.renderings.map((r) => [r.audienceLabel, r.status])).toEqual(expect.arrayContaining([['Dev Patel', 'delivered']]));
    const added = value<{ title: string; severity: string }>(
      await session.call('cards.add', { engagementId: heron.id, card: { title: 'Batch drift', severity: 'low' } }),
    );
    expect(added).toMatchObject({ title: 'Batch drift', severity: 'low', renderings: [] });
    value(await session.call('stakeholders.remove', { engagementId: heron.id, id: dev.id }));
    const cards = value<{ cards: Array<{ id: string; renderings: Array<{ audienceLabel: string; audienceGone: boolean }> }> }>(
      await session.call('cards.list', { engagementId: heron.id }),
    );
    expect(cards.cards.find((c) => c.id === card.id)?.renderings).toEqual(
      expect.arrayContaining([expect.objectContaining({ audienceLabel: 'Dev Patel', audienceGone: true })]),
    );

    const bad: Array<[string, unknown, RegExp]> = [
      ['stakeholders.add', { engagementId: heron.id, stakeholder: { name: 'X', boss: true } }, /unknown field/],
      ['stakeholders.add', { engagementId: heron.id, stakeholder: { name: 'X', kind: 'boss' } }, /Kind is one of/],
      ['stakeholders.add', { engagementId: heron.id, stakeholder: { name: 'X', notes: 'x'.repeat(10_001) } }, /at most 10,000/],
      ['stakeholders.add', { engagementId: 'HERON', stakeholder: { name: 'X' } }, /UUID/],
      ['stakeholders.resolve', { engagementId: heron.id, ref: '' }, /engagementId|ref/],
      ['stakeholders.remove', { engagementId: heron.id, id: dev.id }, /no longer exists/],
      ['cards.add', { engagementId: heron.id, card: { title: ' ' } }, /Give the card a title/],
      ['cards.setRendering', { engagementId: heron.id, cardId: card.id, audience: { type: 'kind', kind: 'vendor' }, patch: {} }, /Nothing/],
    ];
    for (const [name, request, pattern] of bad) {
      const result = await session.call(name, request);
      expect(result.ok, name).toBe(false);
      if (!result.ok) expect(result.error.message, name).toMatch(pattern);
    }
    expect(value<{ cards: unknown[] }>(await session.call('cards.list', { engagementId: heron.id })).cards).toHaveLength(3);
  });

  it('keeps the notebook-wide jargon list', async () => {
    const { session } = await setup();
    expect(value<{ terms: string[] }>(await session.call('stakeholders.jargon', {})).terms).toEqual(DEFAULT_JARGON);
    const set = value<{ terms: string[] }>(await session.call('stakeholders.setJargon', { terms: ['ODBC', 'odbc', ' wave '] }));
    expect(set.terms).toEqual(['odbc', 'wave']);
    expect(value<{ terms: string[] }>(await session.call('stakeholders.jargon', {})).terms).toEqual(['odbc', 'wave']);
    expect((await session.call('stakeholders.setJargon', { terms: ['x'.repeat(121)] })).ok).toBe(false);
  });
});
