import { useCallback, useState } from 'react';
import type { EngagementSummary } from '../../shared/engagements/model';
import { docIdFor } from '../../shared/ids';
import { useDocValue, useOutpost, useReplica, useSyncState } from '../app/outpost-context';
import { useApiQuery } from '../app/use-api-query';
import type { Replica } from '../sync/replicas';
import { SyncBadge } from '../sync/SyncBadge';
import { BriefDialog } from './BriefDialog';
import { CardsPanel } from './CardsPanel';
import { readTranslations } from './common';
import { GlossaryPanel } from './GlossaryPanel';
import { RegistryPanel } from './RegistryPanel';
import './stakeholders.css';

type Section = 'registry' | 'cards' | 'glossary';
const SECTIONS: Array<{ id: Section; label: string }> = [
  { id: 'registry', label: 'Registry' },
  { id: 'cards', label: 'Translation cards' },
  { id: 'glossary', label: 'Glossary' },
];

/** The engagement's Stakeholders tab: registry, translation cards, glossary and briefs, on the engagement's replica. */
export function StakeholdersPane({ engagement }: { engagement: EngagementSummary }) {
  const replica = useReplica(docIdFor('engagement', engagement.id));
  if (!replica) return <p className="muted">Opening…</p>;
  return <Translations replica={replica} />;
}

function Translations({ replica }: { replica: Replica }) {
  const { api } = useOutpost();
  const data = useDocValue(replica.doc, readTranslations) ?? readTranslations(replica.doc);
  const syncState = useSyncState(replica);
  const [section, setSection] = useState<Section>('registry');
  const [briefOpen, setBriefOpen] = useState(false);
  const loadJargon = useCallback(async () => (await api.call('stakeholders.jargon', {})).terms, [api]);
  const jargonQuery = useApiQuery(loadJargon, []);
  const [savedJargon, setSavedJargon] = useState<string[] | null>(null);
  const jargon = savedJargon ?? jargonQuery.data;

  if (!data.engagement.id) {
    return (
      <div className="loading" role="status">
        {syncState === 'offline' ? 'This engagement cannot be loaded: the notebook host is unreachable.' : 'Loading engagement…'}
      </div>
    );
  }
  const untold = data.cards.reduce((n, c) => n + (c.renderings.some((r) => r.status !== 'delivered') ? 1 : 0), 0);
  return (
    <section className="stakeholders-pane" aria-label="Stakeholders">
      <header className="stakeholders-head">
        <div className="segmented" role="tablist" aria-label="Stakeholder sections">
          {SECTIONS.map((s) => (
            <button
              key={s.id}
              type="button"
              role="tab"
              id={`stakeholders-tab-${s.id}`}
              aria-selected={section === s.id}
              aria-controls={`stakeholders-panel-${s.id}`}
              onClick={() => setSection(s.id)}
            >
              {s.label}
              <span className="count">
                {s.id === 'registry' ? data.stakeholders.length : s.id === 'cards' ? data.cards.length : data.glossary.length}
              </span>
            </button>
          ))}
        </div>
        <div className="head-actions">
          <SyncBadge state={syncState} />
          {untold > 0 && (
            <span className="muted small">
              {untold} {untold === 1 ? 'card has' : 'cards have'} renderings not delivered
            </span>
          )}
          <button type="button" className="primary" onClick={() => setBriefOpen(true)} disabled={!data.cards.length}>
            Brief…
          </button>
        </div>
      </header>
      <div role="tabpanel" id={`stakeholders-panel-${section}`} aria-labelledby={`stakeholders-tab-${section}`}>
        {section === 'registry' && <RegistryPanel doc={replica.doc} data={data} />}
        {section === 'cards' && <CardsPanel doc={replica.doc} data={data} jargon={jargon ?? []} />}
        {section === 'glossary' && (
          <GlossaryPanel doc={replica.doc} glossary={data.glossary} jargon={jargon} onJargonSaved={setSavedJargon} />
        )}
      </div>
      {briefOpen && <BriefDialog data={data} onClose={() => setBriefOpen(false)} />}
    </section>
  );
}
