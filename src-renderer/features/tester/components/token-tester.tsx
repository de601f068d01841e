import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { TestHistoryItem, TestResult } from '../../../../src-shared/ipc/contract';
import { Badge } from '../../../components/ui/badge';
import { Button } from '../../../components/ui/button';
import { Dialog, DialogBody, DialogFooter } from '../../../components/ui/dialog';
import { ApiError, call } from '../../../lib/api';
import { errorMessage } from '../../../lib/errors';
import { formatDateTime, formatSince } from '../../../lib/format';
import { useNow } from '../../../lib/use-now';
import { heldBackText, holdFromDetails, type Hold } from '../lib/held-back';
import { formatMs, OUTCOME_LABEL, OUTCOME_TONE } from '../lib/outcomes';
import { valueUnavailableReason } from '../../../../src-shared/domain/value-state';
import { RequestDialog } from '../../../app/lazy-views';
import { TestResultView } from './test-result-view';
import type { TokenContext } from './tool-context';
import './tester.css';

/**
 * One click: the provider's safe preset with this token, and the answer in
 * words. The Request button opens the request panel for any other call;
 * `actions` holds the tools of other features (permissions, probes).
 */
export function TokenTester({ context, actions, onMoveTo }: { context: TokenContext; actions?: ReactNode; onMoveTo?: (environmentId: string) => void }) {
  const { credential } = context;
  const [result, setResult] = useState<TestResult | null>(null);
  const [error, setError] = useState<{ message: string; until: number | null } | null>(null);
  const [busy, setBusy] = useState(false);
  const [requestOpen, setRequestOpen] = useState(false);
  const [historyVersion, setHistoryVersion] = useState(0);
  // Held back by a rate-limit hold: the provider's last real 429 (or 503), shown beside the countdown.
  const [lastLimited, setLastLimited] = useState<TestHistoryItem | null>(null);

  async function test(force = false) {
    setBusy(true);
    setError(null);
    setLastLimited(null);
    try {
      setResult(await call('credentials:test', { id: credential.id, ...(force ? { force: true } : {}) }));
    } catch (e) {
      setResult(null);
      setError(describeError(e));
      if (e instanceof ApiError && e.code === 'RATE_LIMITED') {
        const status = typeof e.details.status === 'number' ? e.details.status : 429;
        const items = await call('tests:history', { credentialId: credential.id, limit: 50 }).catch(() => []);
        setLastLimited(items.find((h) => h.status === status) ?? null);
      }
    } finally {
      setBusy(false);
      setHistoryVersion((v) => v + 1);
    }
  }

  // Nothing to send (a revoked token's wiped value): off, pointing at the reason the token's value box gives.
  const unavailable = valueUnavailableReason(credential);
  const off = unavailable ? { disabled: true, title: unavailable, 'aria-describedby': `value-unavailable-${credential.id}` } : {};

  return (
    <div className="tester">
      <div className="tester-actions">
        <Button variant="primary" busy={busy} onClick={() => void test()} {...off}>
          Test
        </Button>
        <Button onClick={() => setRequestOpen(true)} {...off}>
          Request
        </Button>
        {actions}
      </div>
      {error ? (
        <TestError error={error} onForce={() => void test(true)}>
          {lastLimited ? (
            <div className="tester-last-answer">
              <p className="tester-last-answer-title">The last answer it got</p>
              <TestResultView result={historyResult(lastLimited, credential.id)} stored label="Last rate-limited answer" curl={{ credentialId: credential.id, method: lastLimited.method, path: lastLimited.path }} />
            </div>
          ) : null}
        </TestError>
      ) : null}
      {result ? (
        <TestResultView result={result} {...(onMoveTo ? { onMoveTo } : {})} curl={{ credentialId: credential.id, ...(result.presetId ? { presetId: result.presetId } : {}) }} />
      ) : null}
      <TestHistory credentialId={credential.id} version={`${historyVersion}:${credential.lastTestedAt ?? ''}`} />
      {requestOpen ? (
        <RequestDialog
          context={context}
          onSent={() => setHistoryVersion((v) => v + 1)}
          onClose={() => setRequestOpen(false)}
        />
      ) : null}
    </div>
  );
}

/** An error to show: its words, and for a rate-limit hold the hold itself (said in the app's words) and when it ends. */
export interface TestFailure {
  message: string;
  until: number | null;
  hold?: Hold | null;
}

/** An error in words; a rate-limit hold says how long is left, counting down. */
export function describeError(e: unknown): TestFailure {
  if (e instanceof ApiError && e.code === 'RATE_LIMITED' && typeof e.details.retryAfterMs === 'number') {
    return { message: e.message, until: Date.now() + e.details.retryAfterMs, hold: holdFromDetails(e.details) };
  }
  return { message: errorMessage(e), until: null };
}

/**
 * `onForce`, when given, offers to send despite a rate-limit hold: the
 * provider asked to wait, the user decides otherwise (the vault audits it).
 * `forceLabel` is that button's label, which a hold's words name.
 */
export function TestError({
  error,
  onForce,
  forceLabel = 'Test anyway',
  children,
}: {
  error: TestFailure;
  onForce?: () => void;
  forceLabel?: string;
  children?: ReactNode;
}) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (error.until === null) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [error.until]);
  const left = error.until === null ? null : Math.max(0, Math.ceil((error.until - now) / 1000));
  return (
    <div className="tester-error" role="alert">
      {/* A hold in the app's words (the main process's message is the CLI's: --force, an ISO time). */}
      <p>{error.hold ? heldBackText(error.hold, onForce && left !== null && left > 0 ? forceLabel : null) : error.message}</p>
      {left !== null ? <p className="tester-error-wait">{left > 0 ? `You can test again in ${left} s.` : 'You can test again now.'}</p> : null}
      {left !== null && left > 0 && onForce ? (
        <Button size="sm" onClick={onForce}>
          {forceLabel}
        </Button>
      ) : null}
      {children}
    </div>
  );
}

/**
 * A history entry as a result to show in full: what the entry kept (every
 * field but headers and body; older entries keep only the summary).
 */
export function historyResult(h: TestHistoryItem, credentialId: string): TestResult {
  const d = h.detail;
  return {
    credentialId,
    presetId: d?.presetId ?? null,
    method: h.method,
    url: d?.url ?? h.path,
    status: h.status,
    classification: h.outcome,
    explanation: h.explanation,
    timings: d?.timings ?? { dnsMs: null, connectMs: null, tlsMs: null, firstByteMs: null, totalMs: h.totalMs },
    headers: {},
    bodyPreview: '',
    bodyBytes: d?.bodyBytes ?? 0,
    bodyTruncated: false,
    contentType: d?.contentType ?? null,
    rateLimit: d?.rateLimit ?? null,
    redirects: d?.redirects ?? [],
    credentialSent: true,
    at: h.at,
    preflight: d?.preflight ?? null,
    // The diagnosis is part of the explanation in entries older than the detail.
    diagnosis: d?.diagnosis ?? null,
    identity: d?.identity ?? null,
    warnings: d?.warnings ?? [],
    redirect: d?.redirect ?? null,
    notes: d?.notes ?? [],
  };
}

function TestHistory({ credentialId, version }: { credentialId: string; version: string }) {
  const now = useNow();
  const [items, setItems] = useState<TestHistoryItem[] | null>(null);
  const [open, setOpen] = useState<TestHistoryItem | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setItems(await call('tests:history', { credentialId, limit: 20 }));
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [credentialId]);

  useEffect(() => {
    void load();
  }, [load, version]);

  if (error) return <p className="detail-error">{error}</p>;
  if (!items || items.length === 0) return null;
  return (
    <section className="detail-section" aria-label="Test history">
      <h3 className="detail-section-title">Test history</h3>
      <ul className="test-history">
        {items.map((h, i) => (
          <li key={`${h.at}-${i}`} className="test-history-item">
            {/* Each past test opens in full (issue 12). */}
            <button type="button" className="test-history-open" title={h.explanation} onClick={() => setOpen(h)}>
              <Badge tone={OUTCOME_TONE[h.outcome]}>{OUTCOME_LABEL[h.outcome]}</Badge>
              <span className="test-history-call">
                <code>
                  {h.method} {h.path}
                </code>
                {h.status !== null ? <span className="muted"> · {h.status}</span> : null}
                <span className="muted"> · {formatMs(h.totalMs)}</span>
              </span>
              <time className="test-history-time" dateTime={new Date(h.at).toISOString()} title={formatDateTime(h.at)}>
                {formatSince(h.at, now)}
              </time>
            </button>
          </li>
        ))}
      </ul>
      {open ? (
        <Dialog title="Past test" subtitle={`${open.method} ${open.path} · ${formatDateTime(open.at)}`} size="md" onClose={() => setOpen(null)}>
          <DialogBody>
            <TestResultView result={historyResult(open, credentialId)} stored label="Past test result" curl={{ credentialId, method: open.method, path: open.path }} />
          </DialogBody>
          <DialogFooter>
            <Button variant="primary" onClick={() => setOpen(null)}>
              Close
            </Button>
          </DialogFooter>
        </Dialog>
      ) : null}
    </section>
  );
}
