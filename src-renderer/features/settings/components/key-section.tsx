import { useState, type FormEvent } from 'react';
import { Button } from '../../../components/ui/button';
import { Field, FormError } from '../../../components/ui/field';
import { call } from '../../../lib/api';
import { issuesForForm } from '../../../lib/errors';
import { useVaultStore, vaultSelectors } from '../../vault/stores/vault-store';

type Mode = 'change-passphrase' | 'to-keychain' | 'to-passphrase';

const SUBMIT: Record<Mode, string> = {
  'change-passphrase': 'Change passphrase',
  'to-keychain': 'Move key to the OS keychain',
  'to-passphrase': 'Use this passphrase',
};

const DONE: Record<Mode, string> = {
  'change-passphrase': 'Passphrase changed. The old one no longer opens the vault.',
  'to-keychain': 'The vault key is now in the OS keychain: no passphrase is needed to unlock.',
  'to-passphrase': 'The vault key is now behind your master passphrase, and removed from the OS keychain.',
};

const LABELS = { currentPassphrase: 'Current passphrase', passphrase: 'New passphrase', keySource: 'Key source' };

/**
 * Settings → Vault key (issue 12): change the master passphrase (current +
 * new, asked twice), or move the key between the OS keychain and a
 * passphrase. The main process re-wraps the key only; a wrong current
 * passphrase or an unreachable keychain is an error that changes nothing.
 * The passphrases live in this form's state only until it closes or succeeds.
 */
export function KeySection() {
  const keySource = useVaultStore(vaultSelectors.keySource);
  const { refresh } = useVaultStore(vaultSelectors.actions);
  const [mode, setMode] = useState<Mode | null>(null);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [fields, setFields] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  function open(m: Mode) {
    setMode(m);
    setCurrent('');
    setNext('');
    setAgain('');
    setFields({});
    setFormError(null);
    setDone(null);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!mode) return;
    const needsCurrent = keySource === 'passphrase';
    const needsNew = mode !== 'to-keychain';
    const local: Record<string, string> = {};
    if (needsCurrent && current === '') local.currentPassphrase = 'Enter the current passphrase.';
    if (needsNew && next.length < 10) local.passphrase = 'The new passphrase needs at least 10 characters.';
    if (needsNew && again !== next) local.again = 'The two new passphrases differ.';
    setFields(local);
    if (Object.keys(local).length > 0) return;
    setBusy(true);
    setFormError(null);
    try {
      await call('vault:change-key-source', {
        keySource: mode === 'to-keychain' ? 'keychain' : 'passphrase',
        ...(needsNew ? { passphrase: next } : {}),
        ...(needsCurrent ? { currentPassphrase: current } : {}),
      });
      const m = mode;
      setMode(null);
      setCurrent('');
      setNext('');
      setAgain('');
      setDone(DONE[m]);
      await refresh();
    } catch (err) {
      const r = issuesForForm(err, LABELS);
      setFields(r.fields);
      setFormError(r.form);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="settings-section" aria-labelledby="settings-key">
      <h3 id="settings-key" className="settings-section-title">
        Vault key
      </h3>
      <p className="settings-text">
        {keySource === 'keychain'
          ? 'The vault key is kept in the OS keychain: unlocking needs no passphrase while you are signed in.'
          : 'The vault key is wrapped by your master passphrase (scrypt): unlocking asks for it.'}{' '}
        Changing this re-wraps the key only; your tokens are not re-encrypted.
      </p>
      {done ? (
        <p className="settings-done" role="status">
          {done}
        </p>
      ) : null}
      {mode === null ? (
        <div className="settings-row">
          {keySource === 'passphrase' ? (
            <>
              <Button onClick={() => open('change-passphrase')}>Change passphrase…</Button>
              <Button onClick={() => open('to-keychain')}>Move key to the OS keychain…</Button>
            </>
          ) : (
            <Button onClick={() => open('to-passphrase')}>Use a master passphrase instead…</Button>
          )}
        </div>
      ) : (
        <form className="settings-key-form" onSubmit={submit} noValidate aria-label={SUBMIT[mode]}>
          {keySource === 'passphrase' ? (
            <Field label="Current passphrase" error={fields.currentPassphrase}>
              {(p) => <input {...p} className="input" type="password" autoComplete="current-password" autoFocus value={current} onChange={(e) => setCurrent(e.currentTarget.value)} />}
            </Field>
          ) : null}
          {mode !== 'to-keychain' ? (
            <>
              <Field label="New passphrase" error={fields.passphrase} hint="At least 10 characters. A few unrelated words are easy to type and hard to guess.">
                {(p) => (
                  <input {...p} className="input" type="password" autoComplete="new-password" autoFocus={keySource !== 'passphrase'} value={next} onChange={(e) => setNext(e.currentTarget.value)} />
                )}
              </Field>
              <Field label="Repeat new passphrase" error={fields.again}>
                {(p) => <input {...p} className="input" type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.currentTarget.value)} />}
              </Field>
            </>
          ) : (
            <p className="settings-text muted">The key is written to the OS keychain and read back before the passphrase is dropped; if the keychain cannot keep it, nothing changes.</p>
          )}
          <FormError>{formError}</FormError>
          <div className="settings-row">
            <Button type="submit" variant="primary" busy={busy}>
              {SUBMIT[mode]}
            </Button>
            <Button onClick={() => setMode(null)}>Cancel</Button>
          </div>
        </form>
      )}
    </section>
  );
}
