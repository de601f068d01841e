import { formatDateTime } from '../../../lib/format';

/**
 * A test or request held back by a remembered rate limit (issue 9): the
 * provider answered `status` (429 or 503) and asked to wait until `retryAt`
 * (ms since the epoch, UTC). From the RATE_LIMITED error's details, or a
 * "Test all" row.
 */
export interface Hold {
  provider: string | null;
  status: number;
  retryAt: number;
}

/** The hold an error's details describe (RATE_LIMITED: `retryAt`, `status`, `provider`); null when they do not. */
export function holdFromDetails(details: Record<string, unknown>): Hold | null {
  const { retryAt, status, provider } = details;
  if (typeof retryAt !== 'number' || !Number.isFinite(retryAt)) return null;
  return { retryAt, status: typeof status === 'number' ? status : 429, provider: typeof provider === 'string' && provider ? provider : null };
}

/**
 * The hold in the app's words: who asked to wait, until when (formatted in
 * the Settings time zone, else the OS's: lib/format's formatDateTime), that
 * nothing was sent, and what the user can do here. `force` names the button
 * that sends anyway ("Test anyway"); null where there is none (the user can
 * only wait, or open the token). Never a CLI flag, never an ISO time.
 */
export function heldBackText(hold: Hold, force: string | null, where: 'here' | 'token' = 'here'): string {
  const who = hold.provider ?? 'The provider';
  const head = `Held back: ${who} answered ${hold.status} and asked to wait until ${formatDateTime(hold.retryAt)}. Nothing was sent.`;
  if (force) return `${head} Wait until then, or choose “${force}” to send it now.`;
  return where === 'token' ? `${head} Test it again after that time, or open the token and choose “Test anyway”.` : `${head} Test it again after that time.`;
}
