import { readFileSync, writeFileSync } from 'node:fs';
import { isStaleWriteError, staleWriteError, VaultError } from '../../src-shared/errors';
import type { Db } from './db';

/**
 * How long a process waits for another one's write (or a checkpoint) before it
 * answers BUSY. Writes here are single short transactions (well under 10 ms),
 * so 5 s covers dozens of queued writers; a holder stopped in a debugger or
 * suspended is what this bound is for.
 */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/** Who took the write lock last: written by each writer once it holds the lock. */
export interface WriterInfo {
  pid: number;
  /** What the process is: `tokenvault token add`, `Tokenvault (browser mode)`… never an argument. */
  label: string;
  /** When it took the lock, ms since the epoch (UTC). */
  at: number;
}

/** The owner-only file beside the database that names the last writer. */
export function writerInfoFile(dbFile: string): string {
  return `${dbFile}.writer`;
}

export function readWriterInfo(dbFile: string): WriterInfo | null {
  try {
    const v = JSON.parse(readFileSync(writerInfoFile(dbFile), 'utf8')) as Partial<WriterInfo>;
    if (typeof v.pid !== 'number' || typeof v.label !== 'string' || typeof v.at !== 'number') return null;
    return { pid: v.pid, label: v.label, at: v.at };
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True for SQLite's "database is locked" family (SQLITE_BUSY, SQLITE_BUSY_SNAPSHOT, …). */
export function isBusyError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_'));
}

/**
 * The BUSY error for a wait that ran out: names the process that took the
 * write lock last when it is still running (it then almost surely holds it),
 * and says honestly when that cannot be told.
 */
export function busyError(dbFile: string, waitedMs: number): VaultError {
  const w = readWriterInfo(dbFile);
  const seconds = Math.round(waitedMs / 100) / 10;
  if (w && w.pid !== process.pid && alive(w.pid)) {
    return new VaultError(
      'BUSY',
      `The vault is busy: process ${w.pid} (${w.label}) holds its write lock; waited ${seconds} s. Try again when it has finished.`,
      { details: { holderPid: w.pid, holder: w.label, waitedMs } },
    );
  }
  return new VaultError(
    'BUSY',
    `The vault is busy: another process holds its write lock (which one could not be determined); waited ${seconds} s. Try again in a moment.`,
    { details: { holderPid: null, holder: null, waitedMs } },
  );
}

/** Code run at the edges of each outermost transaction on one connection (see addTransactionHooks). */
export interface TransactionHooks {
  /** When the outermost transaction function starts (inside BEGIN). */
  begin(): void;
  /** When it returned without throwing, still inside the transaction (before COMMIT): may write; a throw rolls it back. */
  beforeCommit(): void;
}

const hooks = new WeakMap<Db, TransactionHooks[]>();

/**
 * Registers `h` for every outermost `db.transaction(fn)()` on `db` from now
 * on (a connection set up by useImmediateTransactions). The cell digest
 * (cell-digest.ts) seals its change here, once per write transaction.
 */
export function addTransactionHooks(db: Db, h: TransactionHooks): void {
  const list = hooks.get(db) ?? [];
  list.push(h);
  hooks.set(db, list);
}

/**
 * SQLite's answer when a trigger calls an application function this
 * connection does not have: the cell digest's triggers (migration 15) call
 * `tv_cell_digest`, which every connection opened by openDatabase registers;
 * a connection without it (a build from before migration 15, or a bare
 * SQLite connection) cannot write a sealed cell.
 */
export function isMissingDigestFunction(e: unknown): boolean {
  const message = (e as { message?: unknown } | null)?.message;
  return typeof message === 'string' && message.startsWith('no such function: tv_');
}

/**
 * Makes every `db.transaction(fn)()` on this connection a `BEGIN IMMEDIATE`
 * transaction: a deferred transaction that reads and then writes gets
 * SQLITE_BUSY at once when another writer committed in between, whatever the
 * busy timeout, while an immediate one waits its turn for the write lock up
 * to `busy_timeout`. A wait that runs out becomes a typed BUSY error, a
 * write a schema guard refused (a stale writer, see STALE_WRITE_PREFIX in
 * src-shared/errors.ts) or a connection without the cell digest's function
 * could not make (isMissingDigestFunction) UNSUPPORTED_VERSION, the hooks of
 * addTransactionHooks run at each outermost transaction's edges, and
 * each outermost transaction records its process in the writer-info file.
 *
 * Nested calls stay savepoints (better-sqlite3's behaviour). `.deferred` is
 * kept for the rare read-only snapshot that wants one.
 */
export function useImmediateTransactions(db: Db, dbFile: string, label: string): void {
  const original = db.transaction.bind(db);
  let depth = 0;
  const info = () => JSON.stringify({ pid: process.pid, label, at: Date.now() } satisfies WriterInfo);
  db.transaction = ((fn: (...args: unknown[]) => unknown) => {
    const body = function (this: unknown, ...args: unknown[]) {
      if (depth === 0) {
        try {
          writeFileSync(writerInfoFile(dbFile), info(), { mode: 0o600 });
        } catch {
          // Naming the holder is a courtesy; a read-only directory must not stop a write.
        }
      }
      const outermost = depth === 0;
      const edges = outermost ? (hooks.get(db) ?? []) : [];
      for (const h of edges) h.begin();
      depth++;
      let result: unknown;
      try {
        result = fn.apply(this, args);
      } finally {
        depth--;
      }
      for (const h of edges) h.beforeCommit();
      return result;
    };
    const t = original(body);
    const guard =
      (run: (...args: unknown[]) => unknown) =>
      (...args: unknown[]) => {
        const started = Date.now();
        try {
          return run(...args);
        } catch (e) {
          if (isBusyError(e)) throw busyError(dbFile, Date.now() - started);
          // A write guard's abort (migration 13): the schema is newer than this process's code.
          if (isStaleWriteError(e) || isMissingDigestFunction(e)) throw staleWriteError();
          throw e;
        }
      };
    const immediate = guard(t.immediate);
    return Object.assign(immediate, {
      default: immediate,
      immediate,
      deferred: guard(t.deferred),
      exclusive: guard(t.exclusive),
      database: db,
    });
  }) as Db['transaction'];
}
