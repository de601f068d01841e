import type { TestResult } from '../../../../src-shared/ipc/contract';
import { Badge } from '../../../components/ui/badge';
import { Button } from '../../../components/ui/button';
import { WarningIcon } from '../../../components/ui/icons';
import { formatCount, formatDateTime } from '../../../lib/format';
import { formatBytes, formatMs, formatWait, OUTCOME_LABEL, OUTCOME_TONE, timingPhases } from '../lib/outcomes';
import { PreflightLine } from './preflight-line';
import { CopyAsCurl, type CurlRequest } from './copy-as-curl';

/**
 * What a test or a request answered: the verdict and why, who the token
 * belongs to, how long each step took, the rate limit, then the raw
 * response (status, headers, body) for whoever wants to look closer.
 */
export function TestResultView({
  result: r,
  now = Date.now(),
  showPreflight = false,
  onMoveTo,
  curl,
  stored = false,
  label = 'Test result',
}: {
  result: TestResult;
  now?: number;
  showPreflight?: boolean;
  /** The fix for a token valid in another environment: "Move to sandbox". */
  onMoveTo?: (environmentId: string) => void;
  /** The request, for "Copy as curl" (built by the main process, the token as $TOKEN). */
  curl?: CurlRequest;
  /** A past result from the history: its headers and body were never kept. */
  stored?: boolean;
  label?: string;
}) {
  const headerEntries = Object.entries(r.headers);
  // A 403 the documents foresaw: its reason, said once — the generic words and the documented rule in one sentence.
  const deniedAsDocumented = r.classification === 'forbidden' && r.preflight?.decision === 'denied';
  const identity = r.identity && (r.identity.account || r.identity.company) ? [r.identity.account, r.identity.company].filter(Boolean).join(' · ') : null;
  return (
    <section className={`test-result test-result-${r.classification}`} aria-label={label} data-testid="test-result">
      <div className="test-result-head">
        <Badge tone={OUTCOME_TONE[r.classification]}>{OUTCOME_LABEL[r.classification]}</Badge>
        {r.status !== null ? <span className="test-result-status">HTTP {r.status}</span> : <span className="test-result-status muted">No response</span>}
        <span className="test-result-when muted">{formatDateTime(r.at)}</span>
      </div>
      <p className="test-result-request">
        <code>
          <strong>{r.method}</strong> {r.url}
        </code>
      </p>
      {curl ? (
        <div className="test-result-tools">
          <CopyAsCurl request={curl} />
        </div>
      ) : null}
      {deniedAsDocumented ? (
        <>
          <p className="test-result-explanation" data-testid="result-reason">
            {r.explanation}: {r.preflight!.rule}
          </p>
          {r.preflight!.allowedBy.length > 0 ? <p className="test-result-allowed-for">Allowed for: {r.preflight!.allowedBy.join(', ')}.</p> : null}
        </>
      ) : (
        <p className="test-result-explanation">{r.explanation}</p>
      )}
      {r.diagnosis ? (
        <div className="test-result-diagnosis" role="note">
          <WarningIcon size={13} /> <span>{sentence(r.diagnosis.message)}</span>
          {onMoveTo && r.diagnosis.cause === 'other_environment' && r.diagnosis.environment ? (
            <Button size="sm" className="test-result-fix" onClick={() => onMoveTo(r.diagnosis!.environment!.id)}>
              Move to {r.diagnosis.environment.name}
            </Button>
          ) : null}
        </div>
      ) : null}
      {identity ? (
        <p className="test-result-identity">
          Belongs to <strong>{identity}</strong>
        </p>
      ) : null}
      {r.warnings.length > 0 ? (
        <ul className="test-result-warnings" aria-label="Warnings">
          {r.warnings.map((w) => (
            <li key={w}>
              <WarningIcon size={12} /> {w}
            </li>
          ))}
        </ul>
      ) : null}
      {showPreflight && r.preflight && !deniedAsDocumented ? <PreflightLine check={r.preflight} /> : null}
      <TimingBar timings={r.timings} />
      {r.rateLimit ? <RateLimitGauge rate={r.rateLimit} now={now} /> : null}
      {r.redirect ? <RedirectChain verdict={r.redirect} /> : null}
      {r.notes.length > 0 ? (
        <ul className="test-result-notes" aria-label="Notes">
          {r.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : null}
      {!r.redirect && r.redirects.length > 0 ? (
        <ul className="test-result-redirects" aria-label="Redirects">
          {r.redirects.map((d, i) => (
            <li key={i}>
              {d.status} → <code>{d.location}</code> {d.credentialSent ? '' : <span className="muted">(token not sent on)</span>}
            </li>
          ))}
        </ul>
      ) : null}
      {stored ? (
        <p className="test-result-stored">
          {r.contentType ? `Answered ${r.contentType}, ${formatBytes(r.bodyBytes)}. ` : ''}The history keeps no response headers or body.
        </p>
      ) : null}
      {stored ? null : (
        <>
      <details className="test-result-more">
        <summary>Headers ({headerEntries.length})</summary>
        <dl className="test-result-headers">
          {headerEntries.map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      </details>
      <details className="test-result-more" open={r.bodyPreview !== '' && r.classification !== 'ok' ? true : undefined}>
        <summary>
          Body <span className="muted">({[r.contentType, formatBytes(r.bodyBytes), r.bodyTruncated ? 'preview truncated' : null].filter(Boolean).join(', ')})</span>
        </summary>
        {r.bodyPreview === '' ? <p className="muted">Empty body.</p> : <pre className="test-result-body" tabIndex={0}>{r.bodyPreview}</pre>}
      </details>
        </>
      )}
    </section>
  );
}

const STOP_WORDS: Record<NonNullable<TestResult['redirect']>['stoppedBecause'], string> = {
  left_origin: 'ended at another origin, which never saw the token',
  loop: 'redirects in a loop',
  hop_limit: 'too many redirects',
  refused: 'redirect not followed (unsafe target)',
  no_location: 'redirect without a usable Location',
};

/** The requests a redirect led to, in order: where each went, what it answered, whether the token went along. */
export function RedirectChain({ verdict }: { verdict: NonNullable<TestResult['redirect']> }) {
  return (
    <section className="test-result-chain" aria-label="Redirect chain">
      <p className="test-result-chain-why">
        <WarningIcon size={13} /> <strong>Not OK:</strong> {STOP_WORDS[verdict.stoppedBecause]}.
      </p>
      <ol>
        {verdict.chain.map((h, i) => (
          <li key={i}>
            <span className="test-result-status">{h.status}</span> <code>{h.url}</code>{' '}
            {h.credentialSent ? <span>token sent</span> : <strong className="test-result-chain-nosend">token not sent</strong>}
          </li>
        ))}
        {verdict.notFollowed ? (
          <li className="muted">
            → <code>{verdict.notFollowed}</code> (not followed)
          </li>
        ) : null}
      </ol>
    </section>
  );
}

export function TimingBar({ timings }: { timings: TestResult['timings'] }) {
  const phases = timingPhases(timings);
  const total = Math.max(timings.totalMs, 0.001);
  const summary = phases.map((p) => `${p.label} ${formatMs(p.ms)}`).join(', ');
  return (
    <div className="timing">
      <div className="timing-label">
        <span>Timings</span>
        <span className="timing-total">{formatMs(timings.totalMs)} total</span>
      </div>
      <div className="timing-bar" role="img" aria-label={`Total ${formatMs(timings.totalMs)}${summary ? `: ${summary}` : ''}`}>
        {phases.map((p) => (
          <span key={p.key} className={`timing-seg timing-${p.key}`} style={{ flexGrow: Math.max(p.ms / total, 0.02) }} title={`${p.label}: ${formatMs(p.ms)}`} />
        ))}
      </div>
      <ul className="timing-legend" aria-hidden="true">
        {phases.map((p) => (
          <li key={p.key}>
            <span className={`timing-dot timing-${p.key}`} />
            {p.label} {formatMs(p.ms)}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function RateLimitGauge({ rate, now }: { rate: NonNullable<TestResult['rateLimit']>; now: number }) {
  const { limit, remaining, resetAt, retryAt } = rate;
  const known = limit !== null && remaining !== null && limit > 0;
  const share = known ? Math.min(1, Math.max(0, remaining / limit)) : null;
  const level = share === null ? 'ok' : share <= 0.1 ? 'low' : share <= 0.3 ? 'mid' : 'ok';
  return (
    <div className={`rate-gauge rate-${level}`}>
      <div className="timing-label">
        <span>Rate limit</span>
        <span className="timing-total">
          {known ? `${formatCount(remaining)} of ${formatCount(limit)} left` : remaining !== null ? `${formatCount(remaining)} left` : 'limit unknown'}
        </span>
      </div>
      {share !== null ? (
        <div
          className="rate-bar"
          role="meter"
          aria-label="Requests left"
          aria-valuemin={0}
          aria-valuemax={limit!}
          aria-valuenow={remaining!}
          aria-valuetext={`${remaining} of ${limit} requests left`}
        >
          <span className="rate-fill" style={{ width: `${share * 100}%` }} />
        </div>
      ) : null}
      <p className="rate-note muted">
        {retryAt !== null ? <strong className="rate-retry">Retry {formatWait(retryAt - now)} ({formatDateTime(retryAt)}). </strong> : null}
        {resetAt !== null ? `Resets ${formatWait(resetAt - now)}.` : null}
        {rate.sources.length > 0 ? ` From ${rate.sources.join(', ')}.` : null}
      </p>
    </div>
  );
}

/** "the provider…" → "The provider….": the engine's phrases read as sentences here. */
function sentence(s: string): string {
  const t = s.trim();
  if (t === '') return t;
  const capital = t[0]!.toUpperCase() + t.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
