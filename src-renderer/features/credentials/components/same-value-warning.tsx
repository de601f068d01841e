import { useEffect, useState } from 'react';
import type { CredentialSummary } from '../../../../src-shared/domain/types';
import type { ChannelOutput } from '../../../../src-shared/ipc/contract';
import { call } from '../../../lib/api';
import { WarningIcon } from '../../../components/ui/icons';

type Warnings = ChannelOutput<'credentials:value-warnings'>;

/**
 * The same secret in sandbox and production: shown on the token as soon as it
 * is stored or moved (the vault compares HMACs, never values). Nothing when
 * the check cannot run (a locked vault answers on the next unlock).
 */
export function SameValueWarning({ credential: c }: { credential: CredentialSummary }) {
  const [warnings, setWarnings] = useState<Warnings>([]);
  useEffect(() => {
    let live = true;
    if (!c.hasValue) {
      setWarnings([]);
      return;
    }
    call('credentials:value-warnings', { id: c.id })
      .then((w) => live && setWarnings(w))
      .catch(() => live && setWarnings([]));
    return () => {
      live = false;
    };
  }, [c.id, c.environmentId, c.updatedAt, c.hasValue]);
  if (warnings.length === 0) return null;
  return (
    <div className="same-value-warning" role="alert">
      <WarningIcon size={14} />
      <div>
        <strong>Same value in sandbox and production.</strong>
        {warnings.map((w) => (
          <p key={w.credentialId}>{w.message}</p>
        ))}
      </div>
    </div>
  );
}
