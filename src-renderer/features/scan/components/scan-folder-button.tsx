import { useState } from 'react';
import { ScanDialog } from '../../../app/lazy-views';
import { Button } from '../../../components/ui/button';

/** The button that opens "Scan a folder"; the dialog loads on demand (issue 15). */
export function ScanFolderButton({ onOpenToken }: { onOpenToken: (credentialId: string) => void }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="ghost" onClick={() => setOpen(true)}>
        Scan a folder
      </Button>
      {open ? (
        <ScanDialog
          onClose={() => setOpen(false)}
          onOpenToken={(id) => {
            setOpen(false);
            onOpenToken(id);
          }}
        />
      ) : null}
    </>
  );
}
