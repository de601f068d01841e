import { useState } from 'react';
import { Button } from '../../../components/ui/button';
import { valueUnavailableReason } from '../../../../src-shared/domain/value-state';
import type { TokenContext } from './token-context';
import { PermissionsDialog, ProbeDialog } from '../../../app/lazy-views';

/** "Permissions" on a token: its provider's documented matrix, with this token's column highlighted. */
export function PermissionsButton({ context }: { context: TokenContext }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button onClick={() => setOpen(true)}>Permissions</Button>
      {open ? <PermissionsDialog context={context} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

/** "Probe permissions": call every documented endpoint and compare with the documents. */
export function ProbeButton({ context }: { context: TokenContext }) {
  const [open, setOpen] = useState(false);
  // A revoked token whose value was wiped has nothing to probe with: off with the reason (as Reveal/Copy/Test are).
  const unavailable = valueUnavailableReason(context.credential);
  const off = unavailable ? { disabled: true, title: unavailable, 'aria-describedby': `value-unavailable-${context.credential.id}` } : {};
  return (
    <>
      <Button onClick={() => setOpen(true)} {...off}>
        Probe permissions
      </Button>
      {open ? <ProbeDialog context={context} onClose={() => setOpen(false)} /> : null}
    </>
  );
}
