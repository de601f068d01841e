/**
 * Error codes are a contract: the CLI prints them in `--json` output, the IPC
 * layer sends them to the renderer, and scripts branch on them. Add codes;
 * never rename one.
 */
export const ERROR_CODES = [
  'LOCKED',
  'WRONG_PASSPHRASE',
  'KEYCHAIN_UNAVAILABLE',
  'NOT_FOUND',
  'VALIDATION',
  'CONFLICT',
  'CORRUPT',
  'UNSUPPORTED_VERSION',
  'NOT_INITIALIZED',
  'ALREADY_INITIALIZED',
  'TOO_MANY_ATTEMPTS',
  'USAGE',
  'INTERNAL',
  /** A request the user cancelled. */
  'CANCELLED',
  /** Held back: the provider's Retry-After window for this credential is still open. */
  'RATE_LIMITED',
  /** A write to a production environment that is not armed. */
  'PRODUCTION_LOCKED',
  /** A request that would put a credential at risk (plain http to a remote host, a path that leaves the base URL). */
  'UNSAFE_REQUEST',
  /** Token management needs a signed-in management session (Strapi: an admin login) that is missing or was refused. */
  'SIGN_IN_REQUIRED',
  /** The provider's API answered a management request with an error, or could not be reached. */
  'PROVIDER_ERROR',
  /** Another process held the vault's write lock longer than the bounded wait; `details.holderPid`/`holder` name it when known. */
  'BUSY',
  /** The provider could not be reached (DNS, refused, reset, timeout, TLS): never bad input, exit 1. */
  'NETWORK',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  /**
   * Field-level problems for VALIDATION: a path (e.g. `expiresAt`) and a sentence.
   * The CLI names the flag the user typed in `path` (`--expires`) and keeps the input's field in `field`.
   */
  issues?: { path: string; message: string; field?: string }[];
  /** Extra machine-readable facts, e.g. `retryAfterMs` for TOO_MANY_ATTEMPTS or the record id for CORRUPT. */
  details?: Record<string, string | number | boolean | null>;
}

export class VaultError extends Error {
  readonly code: ErrorCode;
  readonly issues?: ErrorPayload['issues'];
  readonly details?: ErrorPayload['details'];

  constructor(code: ErrorCode, message: string, extra: Pick<ErrorPayload, 'issues' | 'details'> = {}) {
    super(message);
    this.name = 'VaultError';
    this.code = code;
    if (extra.issues) this.issues = extra.issues;
    if (extra.details) this.details = extra.details;
  }

  toPayload(): ErrorPayload {
    const payload: ErrorPayload = { code: this.code, message: this.message };
    if (this.issues) payload.issues = this.issues;
    if (this.details) payload.details = this.details;
    return payload;
  }
}

export function isVaultError(e: unknown): e is VaultError {
  return e instanceof VaultError;
}

/**
 * The start of every message a write guard of the vault schema raises
 * (migration 13, issue 15): a sealed cell written without a new write
 * generation, which is what a Tokenvault process older than the vault's
 * schema does. Shipped migrations keep this text; later guards start with it.
 */
export const STALE_WRITE_PREFIX = 'stale write refused:';

/** What the user reads when this process's write was refused as stale (see STALE_WRITE_PREFIX). */
export const STALE_WRITE_MESSAGE =
  'This Tokenvault process is older than the vault it writes to: a newer Tokenvault updated the vault while this one was running, and the write was refused so that no record becomes unreadable. Nothing was changed. Quit this Tokenvault (every window and every tokenvault command started before the update) and start it again.';

/**
 * True for SQLite's abort from a write guard (a trigger's RAISE(ABORT) whose
 * message starts with STALE_WRITE_PREFIX); false for every other error.
 */
export function isStaleWriteError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  const message = (e as { message?: unknown } | null)?.message;
  return typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT') && typeof message === 'string' && message.startsWith(STALE_WRITE_PREFIX);
}

/** The typed error for a write refused as stale: UNSUPPORTED_VERSION, `details.reason` 'stale_writer'. */
export function staleWriteError(): VaultError {
  return new VaultError('UNSUPPORTED_VERSION', STALE_WRITE_MESSAGE, { details: { reason: 'stale_writer' } });
}

/**
 * Anything that is not a VaultError becomes INTERNAL with a generic message: an
 * unexpected exception may carry a secret in its text (a driver echoing a
 * bound value, say), so its message never crosses a boundary.
 */
export function toErrorPayload(e: unknown): ErrorPayload {
  if (isVaultError(e)) return e.toPayload();
  // A write outside the vault's own transactions that waited too long: still BUSY, never INTERNAL.
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_'))) {
    return { code: 'BUSY', message: 'The vault is busy: another process holds its write lock. Try again in a moment.' };
  }
  // A write refused by the schema's guards (issue 15): this process is older than the vault.
  if (isStaleWriteError(e)) return staleWriteError().toPayload();
  return { code: 'INTERNAL', message: 'Something went wrong inside Tokenvault; the operation did not complete.' };
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorPayload };
