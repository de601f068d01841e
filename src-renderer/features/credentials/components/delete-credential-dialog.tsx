import { useState } from 'react';
import type { CredentialSummary } from '../../../../src-shared/domain/types';
import { errorMessage } from '../../../lib/errors';
import { Button } from '../../../components/ui/button';
import { Dialog, DialogBody, DialogFooter } from '../../../components/ui/dialog';
import { FormError } from '../../../components/ui/field';
import { credentialsSelectors, useCredentialsStore } from '../stores/credentials-store';

/** Confirms a delete, naming the token and saying what deleting does not do. */
export function DeleteCredentialDialog({ credential, onClose }: { credential: CredentialSummary; onClose: () => void }) {
  const { remove } = useCredentialsStore(credentialsSelectors.actions);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function confirm() {
    setBusy(true);
    try {
      await remove(credential.id);
      onClose();
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  }

  return (
    <Dialog title={`Delete “${credential.name}”?`} size="sm" onClose={onClose}>
      <DialogBody>
        <p>
          This removes the token and its details from Tokenvault. <strong>It stays valid at the provider until you revoke it there.</strong>
        </p>
        <FormError>{error}</FormError>
      </DialogBody>
      <DialogFooter>
        <Button onClick={onClose} autoFocus>
          Cancel
        </Button>
        <Button variant="danger" busy={busy} onClick={() => void confirm()}>
          Delete
        </Button>
      </DialogFooter>
    </Dialog>
  );
}
