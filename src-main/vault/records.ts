import { VaultError } from '../../src-shared/errors';
import type { Listed } from '../../src-shared/domain/types';
import type { AuditLog } from './audit-log';
import { openJson, sealJson, type Random } from './cipher';
import type { Db } from './db';
import { nameMac, type VaultKeys } from './keys';
import type { MetaCache } from './meta-cache';
import type { SchemaWatch } from './schema-watch';

/**
 * Runs `fn` as one write transaction (`BEGIN IMMEDIATE`, see write-lock.ts)
 * and returns its result. The Vault is the one owner of this boundary: it
 * makes the function and hands it to the parts that must write on their own
 * (the key ring); repositories never open a transaction, they are called
 * inside one.
 */
export type Write = <T>(fn: () => T) => T;

/** What every repository shares: the connection, the unlocked keys, the clock, randomness and the audit log. */
export interface RecordContext {
  db: Db;
  /** The unlocked keys; throws LOCKED (or NOT_INITIALIZED) when there are none. */
  keys: () => VaultKeys;
  random: Random;
  now: () => number;
  audit: AuditLog;
  /** Decrypted metadata while unlocked (meta-cache.ts); the Vault's parts have one, a bare context may not. */
  cache?: MetaCache;
  /** Notices another process migrating the vault past this code (schema-watch.ts); consulted when a cell fails to open. */
  schema?: SchemaWatch;
}

/**
 * Runs `read` (which opens sealed cells) and returns its result. When a cell
 * fails to open (CORRUPT), first asks whether another process migrated the
 * vault past this code's schema, since a cell a newer version wrote is not damage:
 * UNSUPPORTED_VERSION then (schema-watch.ts); CORRUPT otherwise. Costs nothing
 * while cells open.
 */
export function openOrNewer<T>(ctx: Pick<RecordContext, 'schema'>, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof VaultError && e.code === 'CORRUPT') ctx.schema?.check();
    throw e;
  }
}

export type SealedTable = 'workspaces' | 'environments' | 'credentials';

/** A sealed cell and the write generation in its additional data: both are stored (`<column>`, `<column>_gen`). */
export interface SealedCell {
  box: Buffer;
  gen: number;
}

/** A sealed cell as the two values its statement binds: `<column> = ?, <column>_gen = ?`. */
export function cell(c: SealedCell): [Buffer, number] {
  return [c.box, c.gen];
}

/** A fresh write generation: a random integer in [1, 2^48) (see cipher.ts for why random). */
export function newGen(random: Random): number {
  const n = random(6).readUIntBE(0, 6);
  return n === 0 ? 1 : n;
}

/** Seals a record's `meta` column under a fresh generation; the AAD is `v2/table/id/meta/gen` (never change it: stored vaults depend on it). */
export function sealMeta(ctx: RecordContext, table: SealedTable, id: string, meta: unknown): SealedCell {
  const gen = newGen(ctx.random);
  return { box: sealJson(ctx.keys().enc, meta, { table, id, column: 'meta', gen }, ctx.random), gen };
}

/** Opens a record's `meta` column written with generation `gen` (the row's `meta_gen`); throws CORRUPT when it fails to authenticate. */
export function openMeta<T>(ctx: RecordContext, table: SealedTable, id: string, box: Buffer, gen: number): T {
  return openJson<T>(ctx.keys().enc, box, { table, id, column: 'meta', gen });
}

/** The keyed hash of a name under its parent ('' for workspaces), for unique, case-insensitive lookups. */
export function nameMacOf(ctx: RecordContext, parentId: string, name: string): Buffer {
  return nameMac(ctx.keys().index, parentId, name);
}

/** Runs `fn`, turning SQLite's UNIQUE violation into CONFLICT `${what} named "${name}" already exists.` */
export function conflictOn<T>(what: string, name: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof Error && /UNIQUE constraint failed/.test(e.message)) {
      throw new VaultError('CONFLICT', `${what} named "${name}" already exists.`, { details: { name } });
    }
    throw e;
  }
}

/**
 * Refuses an edit made on a stale copy: `expected` is the `updatedAt` the
 * editor read; another window or process saved since. Call inside the write
 * transaction, so no write can slip in between check and update.
 */
export function expectUnchanged(what: string, current: { updatedAt: number }, expected: number | undefined): void {
  if (expected === undefined || expected === current.updatedAt) return;
  throw new VaultError('CONFLICT', `This ${what} was changed elsewhere (another window or a tokenvault command) since you opened it. Reload it and make your change again.`, {
    details: { expectedUpdatedAt: expected, updatedAt: current.updatedAt },
  });
}

/**
 * Decrypts one record, or reports it as CORRUPT with its id instead of
 * dropping it. With `ctx`, a record that fails to open first checks for a
 * newer schema (see openOrNewer): UNSUPPORTED_VERSION then.
 */
export function tryRead<T>(table: SealedTable, id: string, read: () => T, ctx: Pick<RecordContext, 'schema'> = {}): Listed<T> {
  try {
    return openOrNewer(ctx, read);
  } catch (e) {
    if (e instanceof VaultError && e.code === 'CORRUPT') return { corrupt: true, table, id };
    throw e;
  }
}

/** Orders listed records by name (damaged ones first), as people read names: case-blind, numbers as numbers. */
export function byName<T>(a: Listed<T>, b: Listed<T>): number {
  const an = 'corrupt' in (a as object) ? '' : (a as { name: string }).name;
  const bn = 'corrupt' in (b as object) ? '' : (b as { name: string }).name;
  return an.localeCompare(bn, 'en', { sensitivity: 'base', numeric: true });
}
