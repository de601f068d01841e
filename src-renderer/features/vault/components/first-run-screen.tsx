import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError, call } from '../../../lib/api';
import { issuesForForm } from '../../../lib/errors';
import { Badge } from '../../../components/ui/badge';
import { Button } from '../../../components/ui/button';
import { Field, FormError } from '../../../components/ui/field';
import { useVaultStore, vaultSelectors } from '../stores/vault-store';
import { VaultCard } from './vault-card';
import { RestoreNewVault } from '../../../app/lazy-views';

type Mode = 'keychain' | 'passphrase';

const LABELS = { passphrase: 'Passphrase', repeat: 'Repeat passphrase' };

/** First run: create the vault, choosing how it unlocks. */
export function FirstRunScreen() {
  const { create } = useVaultStore(vaultSelectors.actions);
  const [mode, setMode] = useState<Mode>('keychain');
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [fields, setFields] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const keychainHint = useId();
  const passphraseHint = useId();
  // issue 14: a new machine starts from a backup instead.
  const [restoring, setRestoring] = useState(false);
  // issue 12: ask the main process whether a keychain answers before recommending it.
  const [keychain, setKeychain] = useState<'checking' | 'available' | 'unavailable'>('checking');
  const chosenByUser = useRef(false);

  useEffect(() => {
    let live = true;
    call('vault:keychain-status', {}).then(
      (r) => {
        if (!live) return;
        setKeychain(r.available ? 'available' : 'unavailable');
        if (!r.available && !chosenByUser.current) setMode('passphrase');
      },
      // No answer about the keychain: offer it as before; creating the vault will say if it fails.
      () => live && setKeychain('available'),
    );
    return () => {
      live = false;
    };
  }, []);

  function choose(next: Mode) {
    chosenByUser.current = true;
    setMode(next);
    // An error belongs to the choice that caused it.
    setFormError(null);
    setFields({});
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    if (mode === 'passphrase' && passphrase !== repeat) {
      setFields({ repeat: 'Repeat passphrase does not match the passphrase.' });
      return;
    }
    setFields({});
    setBusy(true);
    try {
      await create(mode, mode === 'passphrase' ? passphrase : undefined);
    } catch (err) {
      const { fields: f, form } = issuesForForm(err, { passphrase: LABELS.passphrase });
      setFields(f);
      const keychainMissing = err instanceof ApiError && err.code === 'KEYCHAIN_UNAVAILABLE';
      // The main process words this for the CLI (with a command to run): the app says what to click instead.
      if (keychainMissing) setKeychain('unavailable');
      setFormError(keychainMissing ? 'The OS keychain did not answer, so it cannot keep the vault key. Choose “Master passphrase” instead.' : form);
      setBusy(false);
    }
  }

  if (restoring) return <RestoreNewVault onBack={() => setRestoring(false)} />;
  return (
    <VaultCard title="Create your vault" lead="Your tokens are encrypted on this computer. Choose how the vault unlocks:">
      <form className="vault-form" onSubmit={submit} noValidate>
        {keychain === 'unavailable' ? (
          <p className="vault-reason vault-keychain-note" role="status">
            No OS keychain answered on this computer, so the vault will use a master passphrase.
          </p>
        ) : null}
        <fieldset className="key-choices" aria-busy={keychain === 'checking'}>
          <legend className="visually-hidden">How the vault unlocks</legend>
          <KeyChoice
            checked={mode === 'keychain'}
            onSelect={() => choose('keychain')}
            label="OS keychain"
            aside={keychain === 'unavailable' ? <Badge tone="neutral">Not available</Badge> : <Badge tone="info">Recommended</Badge>}
            hintId={keychainHint}
            hint="Unlocks with your OS login: nothing to remember."
          />
          <KeyChoice
            checked={mode === 'passphrase'}
            onSelect={() => choose('passphrase')}
            label="Master passphrase"
            hintId={passphraseHint}
            hint="Works without a keychain, and nobody logged into your account can open the vault without the passphrase — but forget it and the vault is gone."
          />
        </fieldset>

        {mode === 'passphrase' ? (
          <div className="vault-passphrase-fields">
            <Field label={LABELS.passphrase} error={fields.passphrase} hint="At least 10 characters. A few unrelated words are easy to type and hard to guess.">
              {(p) => (
                <input
                  {...p}
                  className="input"
                  type="password"
                  autoComplete="new-password"
                  autoFocus
                  value={passphrase}
                  onChange={(e) => setPassphrase(e.currentTarget.value)}
                />
              )}
            </Field>
            <Field label={LABELS.repeat} error={fields.repeat}>
              {(p) => (
                <input
                  {...p}
                  className="input"
                  type="password"
                  autoComplete="new-password"
                  value={repeat}
                  onChange={(e) => setRepeat(e.currentTarget.value)}
                />
              )}
            </Field>
          </div>
        ) : null}

        <FormError>{formError}</FormError>
        <Button type="submit" variant="primary" size="lg" busy={busy} className="vault-submit">
          Create vault
        </Button>
        <Button variant="ghost" className="vault-submit" onClick={() => setRestoring(true)}>
          Restore from backup…
        </Button>
      </form>
    </VaultCard>
  );
}

function KeyChoice(props: {
  checked: boolean;
  onSelect: () => void;
  label: string;
  aside?: ReactNode;
  hint: string;
  hintId: string;
}) {
  const id = useId();
  return (
    // The whole card selects (a pointer convenience); the radio inside is what keyboards and screen readers use.
    <div className={`key-choice${props.checked ? ' is-checked' : ''}`} onClick={props.onSelect}>
      <input id={id} type="radio" name="key-source" checked={props.checked} onChange={props.onSelect} aria-describedby={props.hintId} />
      <div className="key-choice-text">
        <div className="key-choice-title">
          <label htmlFor={id}>{props.label}</label>
          {props.aside}
        </div>
        <p id={props.hintId} className="key-choice-hint">
          {props.hint}
        </p>
      </div>
    </div>
  );
}
