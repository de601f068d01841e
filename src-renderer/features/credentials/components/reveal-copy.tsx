import { useEffect, useRef, useState } from 'react';
import type { CredentialSummary } from '../../../../src-shared/domain/types';
import { call, getApi } from '../../../lib/api';
import { copyWithAutoClear } from '../../../lib/clipboard';
import { errorMessage } from '../../../lib/errors';
import { Button } from '../../../components/ui/button';
import { CopyIcon, EyeIcon, EyeOffIcon } from '../../../components/ui/icons';
import { valueUnavailableReason } from '../../../../src-shared/domain/value-state';

interface Revealed {
  value: string;
  refreshToken: string | null;
  /** When it hides (ms since epoch). */
  hideAt: number;
}

/**
 * Reveal and Copy for one token. A revealed value lives in this component's
 * state only — never in a store — and is dropped when the countdown ends, on
 * Hide, and when the component unmounts (another token selected, the vault
 * locked). The parent keys this component by token id.
 */
export function RevealCopy({ credential, onAudited }: { credential: CredentialSummary; onAudited: () => void }) {
  const [revealed, setRevealed] = useState<Revealed | null>(null);
  const [remaining, setRemaining] = useState(0);
  const [busy, setBusy] = useState<'reveal' | 'copy' | null>(null);
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const messageTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    if (!revealed) return;
    const tick = () => {
      const left = Math.ceil((revealed.hideAt - Date.now()) / 1000);
      if (left <= 0) setRevealed(null);
      else setRemaining(left);
    };
    tick();
    const t = setInterval(tick, 250);
    return () => clearInterval(t);
  }, [revealed]);

  useEffect(
    () => () => {
      if (messageTimer.current) clearTimeout(messageTimer.current);
    },
    [],
  );

  function say(tone: 'ok' | 'error', text: string, forMs: number) {
    if (messageTimer.current) clearTimeout(messageTimer.current);
    setMessage({ tone, text });
    messageTimer.current = setTimeout(() => setMessage(null), forMs);
  }

  async function reveal() {
    setBusy('reveal');
    try {
      const r = await call('credentials:reveal', { id: credential.id });
      setRevealed({ value: r.value, refreshToken: r.refreshToken ?? null, hideAt: Date.now() + r.hideAfterSeconds * 1000 });
      setRemaining(r.hideAfterSeconds);
      onAudited();
    } catch (e) {
      say('error', errorMessage(e), 8000);
    } finally {
      setBusy(null);
    }
  }

  async function copy() {
    setBusy('copy');
    try {
      const r = await call('credentials:copy', { id: credential.id });
      if (r.value !== undefined) {
        // Browser mode: the page writes the clipboard and clears it later.
        try {
          await copyWithAutoClear(r.value, r.clearAfterSeconds);
        } catch {
          say('error', 'The browser did not allow writing to the clipboard. Click the page and try again.', 8000);
          return;
        }
      }
      say('ok', `Copied — clears in ${r.clearAfterSeconds} s`, r.clearAfterSeconds * 1000);
      onAudited();
    } catch (e) {
      say('error', errorMessage(e), 8000);
    } finally {
      setBusy(null);
    }
  }

  const shell = getApi().shell;
  // A revoked token whose value was wiped: the actions cannot work, so they are off, with the reason beside them.
  const unavailable = valueUnavailableReason(credential);
  const reasonId = `value-unavailable-${credential.id}`;
  const off = unavailable ? { disabled: true, title: unavailable, 'aria-describedby': reasonId } : {};

  return (
    <div className="reveal-copy">
      <div className={`secret-box${revealed ? ' is-revealed' : ''}`}>
        {revealed ? (
          <>
            <div className="secret-lines">
              <div className="secret-line">
                {revealed.refreshToken !== null ? <span className="secret-caption">Access token</span> : null}
                <code className="secret-value" data-testid="revealed-value">
                  {revealed.value}
                </code>
              </div>
              {revealed.refreshToken !== null ? (
                <div className="secret-line">
                  <span className="secret-caption">Refresh token</span>
                  <code className="secret-value">{revealed.refreshToken}</code>
                </div>
              ) : null}
            </div>
            <div className="secret-countdown" role="timer" aria-live="off">
              Hides in {remaining} s
            </div>
          </>
        ) : (
          <code className="secret-masked" aria-label={`Masked value ${credential.fingerprint}`}>
            {credential.fingerprint}
          </code>
        )}
      </div>
      <div className="detail-actions">
        {revealed ? (
          <Button icon={<EyeOffIcon />} onClick={() => setRevealed(null)}>
            Hide
          </Button>
        ) : (
          <Button icon={<EyeIcon />} busy={busy === 'reveal'} onClick={() => void reveal()} {...off}>
            Reveal
          </Button>
        )}
        <Button icon={<CopyIcon />} busy={busy === 'copy'} onClick={() => void copy()} title={shell === 'electron' ? undefined : 'Copies to the clipboard and clears it again later'} {...off}>
          Copy
        </Button>
        {unavailable ? (
          <span className="detail-unavailable" id={reasonId} data-testid="value-unavailable">
            {unavailable}
          </span>
        ) : null}
        <span className={`detail-message${message?.tone === 'error' ? ' is-error' : ''}`} role="status">
          {message?.text ?? ''}
        </span>
      </div>
    </div>
  );
}
