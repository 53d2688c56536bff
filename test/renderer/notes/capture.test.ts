import { afterEach, describe, expect, it, vi } from 'vitest';
import { captureEngagement, rememberEngagement } from '../../../renderer/notes/capture';
import type { EngagementSummary } from '../../../shared/engagements/model';

function engagement(id: string, fields: Partial<EngagementSummary>): EngagementSummary {
  return {
    id,
    client: 'Acme',
    site: '',
    codename: id.toUpperCase(),
    ceiling: 'CUI',
    startDate: null,
    endDate: null,
    status: 'active',
    archived: false,
    teamSize: 0,
    createdAt: '2026-11-01T00:00:00.000Z',
    updatedAt: '2026-11-01T00:00:00.000Z',
    ...fields,
  };
}

describe('where a quick capture goes when no engagement is in view', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('goes to the engagement last shown, unless it was archived or closed since', () => {
    const store = new Map<string, string>();
    vi.stubGlobal('localStorage', { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => store.set(k, v) });
    const heron = engagement('heron', { updatedAt: '2026-11-20T00:00:00.000Z' });
    const kestrel = engagement('kestrel', { status: 'planned', updatedAt: '2026-11-10T00:00:00.000Z' });
    rememberEngagement('kestrel');
    expect(captureEngagement([heron, kestrel])).toBe('kestrel');
    expect(captureEngagement([heron, { ...kestrel, archived: true }])).toBe('heron');
    expect(captureEngagement([heron, { ...kestrel, status: 'closed' }])).toBe('heron');
  });

  it('else the most recently updated active one, else the latest open one, and works without storage', () => {
    vi.stubGlobal('localStorage', undefined);
    expect(
      captureEngagement([
        engagement('old', { updatedAt: '2026-10-01T00:00:00.000Z' }),
        engagement('new', { updatedAt: '2026-11-01T00:00:00.000Z' }),
        engagement('planned', { status: 'planned', updatedAt: '2026-11-28T00:00:00.000Z' }),
      ]),
    ).toBe('new');
    expect(captureEngagement([engagement('p', { status: 'planned' }), engagement('c', { status: 'closed' })])).toBe('p');
    expect(captureEngagement([engagement('c', { status: 'closed' })])).toBeUndefined();
  });
});
