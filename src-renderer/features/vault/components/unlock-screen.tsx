import { useRef, useState, type FormEvent } from 'react';
import { issuesForForm } from '../../../lib/errors';
import { Button } from '../../../components/ui/button';
import { Field, FormError } from '../../../components/ui/field';
import { LockIcon } from '../../../components/ui/icons';
import { useVaultStore, vaultSelectors, type LockReason } from '../stores/vault-store';
import { VaultCard } from './vault-card';

const REASONS: Record<LockReason, string | null> = {
  user: null,
  idle: 'Locked after a while without activity.',
  system: 'Locked because the computer was locked or went to sleep.',
};

/** Unlock: a passphrase field for passphrase vaults, one click for keychain vaults. */
export function UnlockScreen() {
  const keySource = useVaultStore(vaultSelectors.keySource);
  const lockReason = useVaultStore(vaultSelectors.lockReason);
  const { unlock } = useVaultStore(vaultSelectors.actions);
  const [passphrase, setPassphrase] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const needsPassphrase = keySource === 'passphrase';

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setFieldError(null);
    setFormError(null);
    try {
      await unlock(needsPassphrase ? passphrase : undefined);
    } catch (err) {
      const { fields, form } = issuesForForm(err, { passphrase: 'Passphrase' });
      if (needsPassphrase && !fields.passphrase && form && !/keychain/i.test(form)) {
        // WRONG_PASSPHRASE and its wait belong next to the field the user retypes.
        setFieldError(form);
      } else {
        setFieldError(fields.passphrase ?? null);
        setFormError(fields.passphrase ? null : form);
      }
      setBusy(false);
      requestAnimationFrame(() => input.current?.select());
    }
  }

  const reason = lockReason ? REASONS[lockReason] : null;

  return (
    <VaultCard
      title="Unlock your vault"
      lead={needsPassphrase ? 'Enter your master passphrase to open your tokens.' : 'Your OS keychain holds the key: unlock with one click.'}
    >
      {reason ? (
        <p className="vault-reason" role="status">
          <LockIcon size={14} /> {reason}
        </p>
      ) : null}
      <form className="vault-form" onSubmit={submit} noValidate>
        {needsPassphrase ? (
          <Field label="Passphrase" error={fieldError}>
            {(p) => (
              <input
                {...p}
                ref={input}
                className="input input-lg"
                type="password"
                autoComplete="current-password"
                autoFocus
                value={passphrase}
                onChange={(e) => setPassphrase(e.currentTarget.value)}
              />
            )}
          </Field>
        ) : null}
        <FormError>{formError}</FormError>
        <Button type="submit" variant="primary" size="lg" busy={busy} className="vault-submit" autoFocus={!needsPassphrase}>
          Unlock
        </Button>
      </form>
    </VaultCard>
  );
}
