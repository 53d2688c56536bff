import { type ChangeEvent, useId } from 'react';
import { type BundleSecretInput, MAX_PASSPHRASE_LENGTH, MIN_EXPORT_PASSPHRASE_LENGTH } from '../../shared/sync/calls';
import { MAX_TEAM_KEY_FILE_BYTES, parseTeamKeyFile } from '../../shared/sync/team-key-file';

export interface SecretState {
  kind: 'passphrase' | 'team-key';
  passphrase: string;
  confirm: string;
  teamKey: { key: string; keyId: string; fileName: string } | null;
  teamKeyError: string | null;
}

export const emptySecret = (kind: SecretState['kind'] = 'passphrase'): SecretState => ({
  kind,
  passphrase: '',
  confirm: '',
  teamKey: null,
  teamKeyError: null,
});

/** What stops this secret from being used, in words; null when it can be. */
export function secretProblem(state: SecretState, mode: 'export' | 'import'): string | null {
  if (state.kind === 'team-key') return state.teamKey ? null : (state.teamKeyError ?? 'Choose the team key file');
  if (!state.passphrase) return 'Enter the passphrase';
  if (mode === 'export') {
    if ([...state.passphrase].length < MIN_EXPORT_PASSPHRASE_LENGTH)
      return `Use a passphrase of at least ${MIN_EXPORT_PASSPHRASE_LENGTH} characters (several words are easiest)`;
    if (state.passphrase !== state.confirm) return 'The two passphrases differ: type the same one twice';
  }
  return null;
}

export function toSecretInput(state: SecretState): BundleSecretInput {
  if (state.kind === 'team-key' && state.teamKey) return { kind: 'team-key', key: state.teamKey.key };
  return { kind: 'passphrase', passphrase: state.passphrase };
}

interface Props {
  mode: 'export' | 'import';
  value: SecretState;
  onChange(next: SecretState): void;
  /** Import: the bundle says which kind it needs (and which team key), so there is no choice. */
  required?: { kind: 'passphrase' } | { kind: 'team-key'; keyId: string };
  disabled?: boolean;
}

/**
 * The secret a bundle is sealed or opened with: a passphrase (typed twice when exporting), or a
 * team key file read here in the browser (only its key goes to the notebook, for this one call).
 */
export function SecretFields({ mode, value, onChange, required, disabled }: Props) {
  const id = useId();
  const kind = required?.kind ?? value.kind;

  const pickKeyFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.currentTarget.files?.[0];
    if (!file) {
      onChange({ ...value, teamKey: null, teamKeyError: null });
      return;
    }
    try {
      if (file.size > MAX_TEAM_KEY_FILE_BYTES) throw new Error(`${file.name} is too large to be a team key file`);
      const parsed = parseTeamKeyFile(await file.text());
      if (required?.kind === 'team-key' && parsed.keyId !== required.keyId)
        throw new Error(`This is team key ${parsed.keyId}; the bundle is encrypted with team key ${required.keyId}`);
      onChange({ ...value, kind: 'team-key', teamKey: { ...parsed, fileName: file.name }, teamKeyError: null });
    } catch (error) {
      onChange({ ...value, kind: 'team-key', teamKey: null, teamKeyError: (error as Error).message });
    }
  };

  return (
    <fieldset className="sync-secret" disabled={disabled}>
      <legend>{mode === 'export' ? 'Encrypt with' : 'Secret'}</legend>
      {required ? (
        <p className="muted small">
          {required.kind === 'passphrase'
            ? 'This bundle is encrypted with a passphrase: ask its sender for it.'
            : `This bundle is encrypted with team key ${required.keyId}: choose that key file.`}
        </p>
      ) : (
        <div className="sync-choice">
          <label>
            <input
              type="radio"
              name={`${id}-kind`}
              checked={kind === 'passphrase'}
              onChange={() => onChange({ ...value, kind: 'passphrase' })}
            />
            A passphrase
          </label>
          <label>
            <input
              type="radio"
              name={`${id}-kind`}
              checked={kind === 'team-key'}
              onChange={() => onChange({ ...value, kind: 'team-key' })}
            />
            A team key file
          </label>
        </div>
      )}
      {kind === 'passphrase' ? (
        <>
          <label className="sync-field">
            <span>Passphrase</span>
            <input
              key="passphrase"
              type="password"
              autoComplete={mode === 'export' ? 'new-password' : 'off'}
              value={value.passphrase}
              maxLength={MAX_PASSPHRASE_LENGTH}
              onChange={(e) => onChange({ ...value, passphrase: e.currentTarget.value })}
              aria-describedby={mode === 'export' ? `${id}-hint` : undefined}
            />
          </label>
          {mode === 'export' && (
            <>
              <label className="sync-field">
                <span>Confirm passphrase</span>
                <input
                  type="password"
                  autoComplete="new-password"
                  value={value.confirm}
                  maxLength={MAX_PASSPHRASE_LENGTH}
                  onChange={(e) => onChange({ ...value, confirm: e.currentTarget.value })}
                />
              </label>
              <small id={`${id}-hint`} className="muted">
                At least {MIN_EXPORT_PASSPHRASE_LENGTH} characters; several words are easiest. Tell it to the recipient another way, never
                with the file.
              </small>
            </>
          )}
        </>
      ) : (
        <>
          <label className="sync-field">
            <span>Team key file</span>
            <input key="team-key-file" type="file" onChange={pickKeyFile} aria-describedby={`${id}-key`} />
          </label>
          <small id={`${id}-key`} className={value.teamKeyError ? 'field-error' : 'muted'}>
            {value.teamKeyError ??
              (value.teamKey
                ? `Team key ${value.teamKey.keyId} (${value.teamKey.fileName}) — read here, never stored`
                : 'A key file made by `outpost key create`, shared by hand within the team.')}
          </small>
        </>
      )}
    </fieldset>
  );
}
