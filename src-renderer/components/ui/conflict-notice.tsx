import { useState } from 'react';
import { ApiError } from '../../lib/api';
import { errorMessage } from '../../lib/errors';
import { Button } from './button';

/** True for the vault's CONFLICT: the record was saved elsewhere after the dialog opened. */
export function isConflict(e: unknown): boolean {
  return e instanceof ApiError && e.code === 'CONFLICT' && e.details.updatedAt !== undefined;
}

/**
 * What an edit dialog shows when its save was refused because another window
 * or a `tokenvault` command changed the record after the dialog opened: the
 * vault's sentence and a button that loads the current version into the form
 * (the user's unsaved changes are dropped, so the button says so).
 */
export function ConflictNotice({ error, onReload }: { error: unknown; onReload: () => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  return (
    <div className="form-error conflict-notice" role="alert" data-testid="conflict-notice">
      <p>
        <strong>Not saved: changed elsewhere.</strong> {errorMessage(error)}
      </p>
      {failed ? <p>{failed}</p> : null}
      <Button
        busy={busy}
        onClick={() => {
          setBusy(true);
          setFailed(null);
          onReload()
            .catch((e: unknown) => setFailed(errorMessage(e)))
            .finally(() => setBusy(false));
        }}
      >
        Reload the current version (drops your changes)
      </Button>
    </div>
  );
}
