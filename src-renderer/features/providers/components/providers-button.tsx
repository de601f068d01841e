import { useState } from 'react';
import { ProvidersDialog } from '../../../app/lazy-views';
import { Button } from '../../../components/ui/button';

/** The top bar's "Providers" button; the dialog loads on demand (issue 15). */
export function ProvidersButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="ghost" onClick={() => setOpen(true)}>
        Providers
      </Button>
      {open ? <ProvidersDialog onClose={() => setOpen(false)} /> : null}
    </>
  );
}
