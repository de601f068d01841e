import { useEffect, useState, type FormEvent } from 'react';
import { Button } from '../../../components/ui/button';
import { Field } from '../../../components/ui/field';
import { WarningIcon } from '../../../components/ui/icons';
import { call } from '../../../lib/api';
import { errorMessage } from '../../../lib/errors';

function formatCountdown(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * Production is read-only until armed: the user types the workspace name,
 * and writes are allowed for a few minutes (the main process decides and
 * counts; this shows its clock).
 */
export function ArmProduction({
  environmentId,
  workspaceName,
  onChange,
}: {
  environmentId: string;
  workspaceName: string;
  onChange?: (armedUntil: number | null) => void;
}) {
  const [armedUntil, setArmedUntil] = useState<number | null>(null);
  const [asking, setAsking] = useState(false);
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [now, setNow] = useState(() => Date.now());

  const update = (until: number | null) => {
    setArmedUntil(until);
    onChange?.(until);
  };

  useEffect(() => {
    let live = true;
    call('environments:arm-status', { environmentId })
      .then((s) => live && update(s.armedUntil))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [environmentId]);

  useEffect(() => {
    if (armedUntil === null) return;
    const t = setInterval(() => {
      const n = Date.now();
      setNow(n);
      if (n >= armedUntil) update(null);
    }, 1000);
    return () => clearInterval(t);
  }, [armedUntil]);

  async function arm(e: FormEvent) {
    e.preventDefault();
    e.stopPropagation();
    setBusy(true);
    setError(null);
    try {
      const r = await call('environments:arm', { environmentId, confirmName: typed });
      setNow(Date.now());
      update(r.armedUntil);
      setAsking(false);
      setTyped('');
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  async function disarm() {
    try {
      await call('environments:disarm', { environmentId });
    } finally {
      update(null);
    }
  }

  if (armedUntil !== null && armedUntil > now) {
    return (
      <div className="arm arm-armed" role="status">
        <WarningIcon size={14} />
        <span>
          Production is <strong>armed</strong>: writes are allowed for <span className="arm-countdown" role="timer">{formatCountdown(armedUntil - now)}</span>.
        </span>
        <Button size="sm" onClick={() => void disarm()}>
          Disarm
        </Button>
      </div>
    );
  }
  return (
    <div className="arm">
      <p className="arm-note">
        <WarningIcon size={14} /> Production is read-only: Tokenvault refuses writes (POST, PUT, PATCH, DELETE) to it until you arm it, for 5 minutes.
      </p>
      {asking ? (
        // A nested form would submit the request panel: this one is a div with its own Enter handling.
        <div
          className="arm-form"
          onKeyDown={(e) => {
            if (e.key === 'Enter') void arm(e);
          }}
        >
          <Field label="Type the workspace name to arm production" error={error} hint={`Type ${workspaceName}.`}>
            {(p) => <input {...p} className="input" autoFocus autoComplete="off" spellCheck={false} value={typed} onChange={(e) => setTyped(e.currentTarget.value)} />}
          </Field>
          <div className="arm-buttons">
            <Button variant="danger" busy={busy} onClick={(e) => void arm(e)}>
              Arm
            </Button>
            <Button variant="ghost" onClick={() => setAsking(false)}>
              Cancel
            </Button>
          </div>
        </div>
      ) : (
        <Button variant="danger" size="sm" onClick={() => setAsking(true)}>
          Arm production
        </Button>
      )}
    </div>
  );
}
