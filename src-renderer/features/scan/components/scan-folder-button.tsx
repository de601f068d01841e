import { useState } from 'react';
import { ScanDialog } from '../../../app/lazy-views';
import { Button } from '../../../components/ui/button';
import { FolderIcon } from '../../../components/ui/icons';

/** The button that opens "Scan a folder"; the dialog loads on demand (issue 15). */
export function ScanFolderButton({ onOpenToken }: { onOpenToken: (credentialId: string) => void }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      {/* The label may be hidden on a narrow bar (app.css, .top-label): it stays the accessible name, the title the tooltip. */}
      <Button variant="ghost" icon={<FolderIcon />} title="Scan a folder" onClick={() => setOpen(true)}>
        <span className="top-label">Scan a folder</span>
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
