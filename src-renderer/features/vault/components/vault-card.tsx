import type { ReactNode } from 'react';
import { ShieldIcon } from '../../../components/ui/icons';
import './vault-screens.css';

/** The centred card of the first-run and unlock screens. */
export function VaultCard({ title, lead, children }: { title: string; lead?: ReactNode; children: ReactNode }) {
  return (
    <main className="vault-screen">
      <div className="vault-card">
        <div className="vault-brand">
          <span className="vault-logo" aria-hidden="true">
            <ShieldIcon size={22} />
          </span>
          <span className="vault-brand-name">Tokenvault</span>
        </div>
        <h1 className="vault-title">{title}</h1>
        {lead ? <p className="vault-lead">{lead}</p> : null}
        {children}
      </div>
    </main>
  );
}
