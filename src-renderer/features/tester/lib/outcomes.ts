import type { TestOutcome } from '../../../../src-shared/domain/types';
import type { TestResult } from '../../../../src-shared/ipc/contract';
import type { BadgeTone } from '../../../components/ui/badge';

/** The badge for each classification: a word a user knows, and the status it stands for. */
export const OUTCOME_LABEL: Record<TestOutcome, string> = {
  ok: 'OK',
  unauthorized: 'Unauthorized',
  forbidden: 'Forbidden',
  not_found: 'Not found',
  rate_limited: 'Rate-limited',
  client_error: 'Client error',
  server_error: 'Server error',
  timeout: 'Timed out',
  network: 'Network trouble',
  tls: 'TLS trouble',
  redirected: 'Redirected',
};

export const OUTCOME_TONE: Record<TestOutcome, BadgeTone> = {
  ok: 'success',
  unauthorized: 'danger',
  forbidden: 'danger',
  not_found: 'warning',
  rate_limited: 'warning',
  client_error: 'warning',
  server_error: 'danger',
  timeout: 'danger',
  network: 'danger',
  tls: 'danger',
  redirected: 'danger',
};

/** Outcomes of a "Test all" row, which may also be held back (rate limit) or fail before sending. */
export type RunOutcome = TestOutcome | 'held_back' | 'error';

export function runOutcomeLabel(o: RunOutcome): string {
  if (o === 'held_back') return 'Held back';
  if (o === 'error') return 'Not sent';
  return OUTCOME_LABEL[o];
}

export function runOutcomeTone(o: RunOutcome): BadgeTone {
  if (o === 'held_back') return 'warning';
  if (o === 'error') return 'neutral';
  return OUTCOME_TONE[o];
}

export interface TimingPhase {
  key: 'dns' | 'connect' | 'tls' | 'wait' | 'download';
  label: string;
  ms: number;
}

/**
 * The engine reports when each step ended (ms since the start); the bar shows
 * how long each step took. A step that did not happen (a reused connection,
 * plain http) is left out, and a failed request stops where it failed.
 */
export function timingPhases(t: TestResult['timings']): TimingPhase[] {
  const phases: TimingPhase[] = [];
  let last = 0;
  const add = (key: TimingPhase['key'], label: string, end: number | null) => {
    if (end === null) return;
    phases.push({ key, label, ms: Math.max(0, end - last) });
    last = Math.max(last, end);
  };
  add('dns', 'DNS', t.dnsMs);
  add('connect', 'Connect', t.connectMs);
  add('tls', 'TLS', t.tlsMs);
  add('wait', 'First byte', t.firstByteMs);
  if (t.firstByteMs !== null) add('download', 'Download', t.totalMs);
  return phases;
}

export function formatMs(ms: number): string {
  if (ms < 1) return '<1 ms';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** "in 42 s", "in 3 min", "in 2 h": how long until a reset or a retry. */
export function formatWait(ms: number): string {
  if (ms <= 0) return 'now';
  const s = Math.ceil(ms / 1000);
  if (s < 90) return `in ${s} s`;
  const m = Math.round(s / 60);
  if (m < 90) return `in ${m} min`;
  return `in ${Math.round(m / 60)} h`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
