import { useState } from 'react';
import { Button } from '../../../components/ui/button';
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
  return (
    <>
      <Button onClick={() => setOpen(true)}>Probe permissions</Button>
      {open ? <ProbeDialog context={context} onClose={() => setOpen(false)} /> : null}
    </>
  );
}
