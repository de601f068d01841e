import { useId, useState, type FormEvent } from 'react';
import type { BackupInspection } from '../../../../src-shared/domain/transfer-types';
import { ApiError, call } from '../../../lib/api';
import { errorMessage } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { fileToBase64 } from '../../../lib/files';
import { Button } from '../../../components/ui/button';
import { Field, FormError } from '../../../components/ui/field';
import { useVaultStore, vaultSelectors } from '../stores/vault-store';
import { VaultCard } from './vault-card';
import './restore-new-vault.css';

/**
 * First run on a new machine: "Restore from backup…". Checks the backup
 * with its passphrase (what it holds, nothing written), then creates the
 * vault from it, with the key in the OS keychain or under a new master
 * passphrase. A failure leaves no vault behind (the main process fills the
 * vault in the transaction that creates it).
 */
export function RestoreNewVault({ onBack }: { onBack: () => void }) {
  const { refresh } = useVaultStore(vaultSelectors.actions);
  const [file, setFile] = useState<File | null>(null);
  const [backupPass, setBackupPass] = useState('');
  const [inspection, setInspection] = useState<BackupInspection | null>(null);
  const [mode, setMode] = useState<'keychain' | 'passphrase'>('keychain');
  const [master, setMaster] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function check(e: FormEvent) {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      setInspection(await call('backup:inspect', { base64: await fileToBase64(file), passphrase: backupPass }));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  async function restore(e: FormEvent) {
    e.preventDefault();
    if (!file) return;
    if (mode === 'passphrase' && master !== repeat) return setError('The two master passphrases differ.');
    setBusy(true);
    setError(null);
    try {
      await call('backup:restore', {
        base64: await fileToBase64(file),
        passphrase: backupPass,
        newVault: mode === 'passphrase' ? { keySource: 'passphrase', passphrase: master } : { keySource: 'keychain' },
      });
      // The vault exists and is unlocked now: the app routes to it.
      await refresh();
    } catch (err) {
      const keychainMissing = err instanceof ApiError && err.code === 'KEYCHAIN_UNAVAILABLE';
      setError(keychainMissing ? `${errorMessage(err)} You can choose a master passphrase instead.` : errorMessage(err));
      setBusy(false);
    }
  }

  const changeFile = (f: File | null) => {
    setFile(f);
    setInspection(null);
  };

  return (
    <VaultCard title="Restore from a backup" lead="A Tokenvault backup file (.age) and its backup passphrase make this vault again, on this computer.">
      {inspection === null ? (
        <form className="vault-form" onSubmit={check} noValidate>
          <Field label="Backup file">
            {(p) => <input {...p} className="input" type="file" accept=".age,application/octet-stream" onChange={(e) => changeFile(e.currentTarget.files?.[0] ?? null)} />}
          </Field>
          <Field label="Backup passphrase">
            {(p) => <input {...p} className="input" type="password" autoComplete="off" value={backupPass} onChange={(e) => setBackupPass(e.currentTarget.value)} />}
          </Field>
          <FormError>{error}</FormError>
          <div className="vault-actions">
            <Button onClick={onBack}>Back</Button>
            <Button type="submit" variant="primary" busy={busy} disabled={!file || !backupPass}>
              Check backup
            </Button>
          </div>
        </form>
      ) : (
        <form className="vault-form" onSubmit={restore} noValidate>
          <section aria-label="What the backup holds">
            <p role="status">
              Backup of {formatDateTime(Date.parse(inspection.createdAt))}: {inspection.counts.workspaces} workspaces, {inspection.counts.environments} environments,{' '}
              {inspection.counts.credentials} tokens, {inspection.counts.auditEvents} audit events
              {inspection.counts.providers ? `, ${inspection.counts.providers} providers` : ''}.
            </p>
          </section>
          <fieldset className="key-choices">
            <legend>How the restored vault unlocks</legend>
            <KeyChoice checked={mode === 'keychain'} onSelect={() => setMode('keychain')} label="OS keychain" hint="Unlocks with your OS login." />
            <KeyChoice
              checked={mode === 'passphrase'}
              onSelect={() => setMode('passphrase')}
              label="Master passphrase"
              
              hint="A new master passphrase for this vault (it may differ from the backup's)."
            />
          </fieldset>
          {mode === 'passphrase' ? (
            <div className="vault-passphrase-fields">
              <Field label="New master passphrase" hint="At least 10 characters.">
                {(p) => <input {...p} className="input" type="password" autoComplete="new-password" value={master} onChange={(e) => setMaster(e.currentTarget.value)} />}
              </Field>
              <Field label="Repeat the new master passphrase">
                {(p) => <input {...p} className="input" type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.currentTarget.value)} />}
              </Field>
            </div>
          ) : null}
          <FormError>{error}</FormError>
          <div className="vault-actions">
            <Button onClick={() => setInspection(null)}>Back</Button>
            <Button type="submit" variant="primary" busy={busy}>
              Restore vault
            </Button>
          </div>
        </form>
      )}
    </VaultCard>
  );
}

/** One way to unlock, as a radio card (the first-run screen's look). */
function KeyChoice(props: { checked: boolean; onSelect: () => void; label: string; hint: string }) {
  const id = useId();
  return (
    <div className={`key-choice${props.checked ? ' is-checked' : ''}`}>
      <input id={id} type="radio" name="restore-key-source" checked={props.checked} onChange={props.onSelect} aria-describedby={`${id}-hint`} />
      <div className="key-choice-text">
        <div className="key-choice-title">
          <label htmlFor={id}>{props.label}</label>
        </div>
        <p id={`${id}-hint`} className="key-choice-hint">
          {props.hint}
        </p>
      </div>
    </div>
  );
}
