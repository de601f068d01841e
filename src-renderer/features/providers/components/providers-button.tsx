import { useState } from 'react';
import { ProvidersDialog } from '../../../app/lazy-views';
import { Button } from '../../../components/ui/button';
import { LayersIcon } from '../../../components/ui/icons';

/** The top bar's "Providers" button; the dialog loads on demand (issue 15). */
export function ProvidersButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      {/* The label may be hidden on a narrow bar (app.css, .top-label): it stays the accessible name, the title the tooltip. */}
      <Button variant="ghost" icon={<LayersIcon />} title="Providers" onClick={() => setOpen(true)}>
        <span className="top-label">Providers</span>
      </Button>
      {open ? <ProvidersDialog onClose={() => setOpen(false)} /> : null}
    </>
  );
}
