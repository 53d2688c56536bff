import { type FormEvent, useId, useState } from 'react';
import type { EngagementSummary } from '../../shared/engagements/model';
import type { PlaybookSummary } from '../../shared/lessons/calls';
import type { BundleExportResult } from '../../shared/sync/calls';
import { startDownload } from '../app/download';
import { errorLines, FormErrors } from '../app/modal';
import { useOutpost } from '../app/outpost-context';
import { emptySecret, SecretFields, type SecretState, secretProblem, toSecretInput } from './SecretFields';
import { formatSize, type Peer, plural } from './sync-format';

interface Props {
  engagements: EngagementSummary[] | null;
  playbooks: PlaybookSummary[] | null;
  peers: Peer[];
  levels: string[];
}

/** Export: which engagements and playbooks, whole or only what a known peer lacks, an optional cap, the secret. */
export function ExportPanel({ engagements, playbooks, peers, levels }: Props) {
  const { api } = useOutpost();
  const id = useId();
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [delta, setDelta] = useState<'full' | 'since-peer'>('full');
  const [peer, setPeer] = useState('');
  const [cap, setCap] = useState('');
  const [secret, setSecret] = useState<SecretState>(emptySecret());
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ result: BundleExportResult; cap: string } | null>(null);
  const peerId = peers.some((p) => p.deviceId === peer) ? peer : (peers[0]?.deviceId ?? '');

  // Engagement and playbook ids are distinct uuids, so one set holds both choices.
  const toggle = (chosenId: string, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(chosenId);
    else next.delete(chosenId);
    setChosen(next);
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const problems: string[] = [];
    const engagementIds = (engagements ?? []).filter((e) => chosen.has(e.id)).map((e) => e.id);
    const playbookIds = (playbooks ?? []).filter((p) => chosen.has(p.id)).map((p) => p.id);
    if (!engagementIds.length && !playbookIds.length) problems.push('Choose at least one engagement or playbook to export');
    if (delta === 'since-peer' && !peerId) problems.push('Choose the peer the bundle is for');
    const secretError = secretProblem(secret, 'export');
    if (secretError) problems.push(secretError);
    setErrors(problems);
    if (problems.length) return;
    setBusy(true);
    setDone(null);
    try {
      const exported = await api.call('bundles.export', {
        engagementIds,
        playbookIds,
        delta: delta === 'full' ? { kind: 'full' } : { kind: 'since-peer', peerDeviceId: peerId },
        ...(cap && { maxClassification: cap }),
        secret: toSecretInput(secret),
      });
      startDownload(exported.token, exported.fileName);
      setDone({ result: exported, cap });
    } catch (error) {
      setErrors(errorLines(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="sync-panel" aria-labelledby={`${id}-title`} onSubmit={submit} noValidate>
      <h3 id={`${id}-title`}>Export a bundle</h3>
      <p className="muted small">A signed, encrypted file for a teammate's notebook: carry it on a USB stick or through a transfer.</p>
      <fieldset>
        <legend>Engagements</legend>
        {!engagements && <p className="muted small">Loading…</p>}
        {engagements?.length === 0 && <p className="muted small">No engagements yet: create one, or import a bundle.</p>}
        <ul className="sync-checklist">
          {engagements?.map((e) => (
            <li key={e.id}>
              <label>
                <input type="checkbox" checked={chosen.has(e.id)} onChange={(ev) => toggle(e.id, ev.currentTarget.checked)} />
                <span className="codename">{e.codename}</span>
                <span className="muted small">
                  {e.client} · up to {e.ceiling}
                  {e.archived ? ' · archived' : ''}
                </span>
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      {!!playbooks?.length && (
        <fieldset>
          <legend>Playbooks</legend>
          <ul className="sync-checklist">
            {playbooks.map((p) => (
              <li key={p.id}>
                <label>
                  <input type="checkbox" checked={chosen.has(p.id)} onChange={(ev) => toggle(p.id, ev.currentTarget.checked)} />
                  <span>{p.title}</span>
                  <span className="muted small">
                    {plural(p.chapters, 'chapter')} · {plural(p.lessons, 'lesson')}
                  </span>
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
      )}
      <fieldset>
        <legend>What to include</legend>
        <div className="sync-choice column">
          <label>
            <input type="radio" name={`${id}-delta`} checked={delta === 'full'} onChange={() => setDelta('full')} />
            Whole engagements
          </label>
          <label>
            <input
              type="radio"
              name={`${id}-delta`}
              checked={delta === 'since-peer'}
              disabled={!peers.length}
              onChange={() => setDelta('since-peer')}
              aria-describedby={`${id}-peer-hint`}
            />
            Only what a peer lacks
          </label>
        </div>
        {delta === 'since-peer' && (
          <label className="sync-field">
            <span>Peer</span>
            <select value={peerId} onChange={(e) => setPeer(e.currentTarget.value)}>
              {peers.map((p) => (
                <option key={p.deviceId} value={p.deviceId}>
                  {p.name} ({p.deviceId.slice(0, 8)})
                </option>
              ))}
            </select>
          </label>
        )}
        <small id={`${id}-peer-hint`} className="muted">
          {peers.length
            ? 'Leaves out what that device already has from earlier bundles, either way.'
            : 'No known peers yet: after a first exchange of bundles, send only what a peer lacks.'}
        </small>
      </fieldset>
      <label className="sync-field">
        <span>Classification cap</span>
        <select value={cap} onChange={(e) => setCap(e.currentTarget.value)} aria-describedby={`${id}-cap-hint`}>
          <option value="">No cap</option>
          {levels.map((level) => (
            <option key={level} value={level}>
              {level}
            </option>
          ))}
        </select>
        <small id={`${id}-cap-hint`} className="muted">
          Notes marked above the cap are left out whole, titles included, and so are playbooks that curate a lesson marked above it.
        </small>
      </label>
      <SecretFields mode="export" value={secret} onChange={setSecret} disabled={busy} />
      <FormErrors title="The bundle was not exported:" errors={errors} />
      <div className="sync-actions">
        <button type="submit" className="primary" disabled={busy}>
          Export bundle
        </button>
        {busy && (
          <>
            <progress aria-label="Sealing the bundle" />
            <span className="muted small">Signing and encrypting…</span>
          </>
        )}
      </div>
      <div role="status" className="sync-result">
        {done && <ExportSummary result={done.result} cap={done.cap} />}
      </div>
    </form>
  );
}

function ExportSummary({ result, cap }: { result: BundleExportResult; cap: string }) {
  const missing = result.missingAttachments.length;
  return (
    <>
      <p>
        <strong>Exported {result.fileName}</strong> ({formatSize(result.bytes)}): {plural(result.docs, 'document')},{' '}
        {plural(result.attachments, 'attachment')}. Check your downloads folder.
      </p>
      <ul>
        {result.unchanged > 0 && <li>Left out {plural(result.unchanged, 'document')} the peer already has.</li>}
        {result.withheld > 0 && (
          <li>
            Withheld {plural(result.withheld, 'document')} marked above {cap} (notes, or playbooks curating such lessons).
          </li>
        )}
        {missing > 0 && (
          <li className="warn">
            {plural(missing, 'attachment')} referenced by notes {missing === 1 ? 'is' : 'are'} missing from this notebook and{' '}
            {missing === 1 ? 'was' : 'were'} not included.
          </li>
        )}
        {result.docs === 0 && <li>Nothing new to send: the bundle only records that you are in step.</li>}
      </ul>
    </>
  );
}
