import { useEffect, useState } from 'react';
import type { VaultStatus } from '../../../../src-shared/domain/types';
import { call } from '../../../lib/api';
import { Button } from '../../../components/ui/button';

/**
 * A page to print for a vault locked with a master passphrase: which vault it
 * is, blank lines to write the passphrases on by hand (the app never prints a
 * secret), and how to restore on a new machine. Keychain vaults get nothing:
 * their key lives in the OS keychain, and a backup is what saves them.
 */
export function EmergencyKit() {
  const [status, setStatus] = useState<VaultStatus | null>(null);
  useEffect(() => {
    call('vault:get-status', {}).then(setStatus, () => setStatus(null));
  }, []);
  if (status?.keySource !== 'passphrase') return null;
  return (
    <section aria-label="Emergency kit" className="emergency-kit">
      <h3>Emergency kit</h3>
      <p className="muted">Print this page and keep it somewhere safe, away from the computer. Write the passphrases by hand: Tokenvault never prints them.</p>
      <dl>
        <dt>Vault</dt>
        <dd>
          <code>{status.vaultId}</code>
        </dd>
        <dt>Master passphrase</dt>
        <dd className="emergency-kit-blank">&nbsp;</dd>
        <dt>Backup passphrase</dt>
        <dd className="emergency-kit-blank">&nbsp;</dd>
        <dt>Where the backups are</dt>
        <dd className="emergency-kit-blank">&nbsp;</dd>
      </dl>
      <ol>
        <li>Install Tokenvault on the new machine and copy the latest backup file over.</li>
        <li>
          Run <code>tokenvault restore BACKUP.age --passphrase</code>: it asks for the backup passphrase, then a master passphrase for the new vault.
        </li>
        <li>
          Run <code>tokenvault audit --verify</code>. Without Tokenvault, <code>age -d BACKUP.age</code> opens the backup (every value in plaintext).
        </li>
      </ol>
      <Button className="no-print" onClick={() => window.print()}>
        Print emergency kit
      </Button>
    </section>
  );
}
