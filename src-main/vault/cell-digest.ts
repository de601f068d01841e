import * as crypto from 'node:crypto';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { VaultError } from '../../src-shared/errors';
import type { AuditLog } from './audit-log';
import { auditHasNote, GEN_CELLS } from './cell-upgrade';
import type { Db } from './db';
import type { VaultKeys } from './keys';
import { addTransactionHooks } from './write-lock';

/**
 * The digest of the vault's live sealed cells (issue 15, "replay an old row").
 *
 * Each sealed cell binds its write generation in its additional data
 * (cipher.ts), so an old box written back into a row whose generation moved
 * on fails to open. A whole row put back, the old box with its old
 * generation, still opens; so does a row deleted, or one copied in from
 * another copy of the vault. What catches them is this digest:
 *
 *   D = XOR over every live cell (a GEN_CELLS cell whose box is not NULL) of
 *       SHA-256(TERM_DOMAIN ‖ JSON [table, column, row id, generation])
 *
 * an incremental multiset hash (XOR is its own inverse, so an insert, a
 * delete or a new generation is O(1): XOR the old term out, the new one in).
 * D is kept in vault_meta.cell_digest by triggers (migration 15) that call
 * `tv_cell_digest` on every insert, update of a cell or its generation, and
 * delete, including foreign-key cascades no code sees. The terms need no key;
 * D is sealed instead: vault_meta.cell_digest_mac = HMAC(keys.digest,
 * MAC_DOMAIN ‖ D ‖ audit_head_seq), checked and refreshed (two HMACs) at
 * the end of each write transaction that moved D or the audit head
 * (addTransactionHooks); nothing is done on reads. Binding the audit head
 * means an old row put back with the old D and its seal also needs the audit
 * log's head put back and its later events cut off: everything that changed
 * since rolled back together, an older file, which only something outside
 * the file can catch. The first seal is made at creation and at the first
 * unlock after migration 15 (sealFirstTime), recorded by DIGEST_SEALED_NOTE.
 *
 * The seal is refreshed only when the state before the transaction was
 * sealed and its seal verifies (the pre-state is handed to the function by
 * the triggers, from the row they update): a D edited outside Tokenvault
 * is never sealed over by the next honest write, so verification keeps
 * reporting it. verifyCellDigest recomputes D from every live cell.
 */

const TERM_DOMAIN = 'tokenvault/cell-digest/v1/term';
const MAC_DOMAIN = 'tokenvault/cell-digest/v1/seal';
export const DIGEST_BYTES = 32;

/** The note of the audit event written when a vault's digest is sealed for the first time; a NULL seal with this event in the chain is never sealed again (an attacker's "unsealed" mark). */
export const DIGEST_SEALED_NOTE = 'vault records digest sealed: a record put back or removed outside Tokenvault is reported by audit verification';

/** What the triggers saw of vault_meta before the transaction's first change: D, its seal, the audit head. */
interface PreState {
  digest: Buffer;
  mac: Buffer | null;
  headSeq: number;
}

interface DigestState {
  /** The pre-state of the current transaction, captured by the first trigger call in it. */
  pre: PreState | null;
  /** Whether the current transaction moved D or the audit head. */
  dirty: boolean;
  /** Whether sealCellDigestOnCommit seals on this connection (a vault's; not a test's raw one). */
  sealing: boolean;
}

const OUTSIDE_TRANSACTION = 'tv_cell_digest: a sealed cell or the audit head was written outside a write transaction, so the records digest could not be sealed';

/**
 * One live cell's term: SHA-256 of the domain and the JSON array [table,
 * column, row id, generation] (id and generation as strings; JSON makes the
 * encoding unambiguous, in one hash update). 32 bytes.
 */
export function cellTerm(table: string, column: string, id: string | number | bigint, gen: number | bigint): Buffer {
  return sha256(TERM_DOMAIN + JSON.stringify([table, column, String(id), String(gen)]));
}

/** SHA-256 of a UTF-8 string: Node's one-shot crypto.hash where it has one (20.12+, half the cost of a Hash object per term), else createHash. */
const sha256: (s: string) => Buffer =
  typeof (crypto as { hash?: unknown }).hash === 'function'
    ? (s) => (crypto as unknown as { hash(alg: string, data: string, enc: 'buffer'): Buffer }).hash('sha256', s, 'buffer')
    : (s) => createHash('sha256').update(s).digest();

function xorInto(target: Buffer, term: Buffer): void {
  for (let i = 0; i < DIGEST_BYTES; i++) target[i]! ^= term[i]!;
}

/** The seal over D and the audit head: HMAC-SHA256(keys.digest, MAC_DOMAIN ‖ D ‖ head seq as 8 bytes big-endian). */
export function digestMac(key: Buffer, digest: Buffer, headSeq: number): Buffer {
  const seq = Buffer.alloc(8);
  seq.writeBigUInt64BE(BigInt(headSeq));
  return createHmac('sha256', key).update(MAC_DOMAIN).update(digest).update(seq).digest();
}

const macEquals = (a: Buffer | null, b: Buffer): boolean => a !== null && Buffer.isBuffer(a) && a.length === b.length && timingSafeEqual(a, b);

function asDigest(v: unknown): Buffer {
  if (!Buffer.isBuffer(v) || v.length !== DIGEST_BYTES) throw new Error('tv_cell_digest: the stored cell digest is not 32 bytes');
  return v;
}

const states = new WeakMap<Db, DigestState>();

/**
 * Registers the SQL functions the digest's triggers call (migration 15), on
 * every connection openDatabase makes, before it migrates:
 *
 * - `tv_cell_digest(d, mac, head_seq, table, column, id, gen[, column, id,
 *   gen]…)`: d XOR the term of each (column, id, gen) cell, skipping those
 *   whose gen is NULL (no box: no live cell). One call per trigger (an
 *   update passes each cell's old and new triple: XOR takes the old term out).
 *   `mac` and `head_seq` are vault_meta's, as they were when the trigger ran:
 *   the first call of a transaction keeps them as its pre-state.
 * - `tv_digest_touch(d, mac, head_seq)`: the audit head moved (vault_meta's
 *   trigger); keeps the pre-state the same way. Returns NULL.
 *
 * Not declared deterministic: they note the transaction's pre-state.
 * A connection without them cannot write a sealed cell ("no such function":
 * a stale writer, see write-lock.ts).
 */
export function registerCellDigest(db: Db): void {
  const state: DigestState = { pre: null, dirty: false, sealing: false };
  states.set(db, state);
  const capture = (d: unknown, mac: unknown, head: unknown) => {
    if (state.pre) return;
    state.pre = { digest: Buffer.from(asDigest(d)), mac: Buffer.isBuffer(mac) ? Buffer.from(mac) : null, headSeq: Number(head) };
  };
  db.function('tv_cell_digest', { varargs: true }, (d: unknown, mac: unknown, head: unknown, table: unknown, ...cells: unknown[]) => {
    const digest = asDigest(d);
    let out: Buffer | null = null;
    for (let i = 0; i + 2 < cells.length; i += 3) {
      const gen = cells[i + 2];
      if (gen === null || gen === undefined) continue;
      if (!out) {
        // A lone statement (no transaction) would leave the new digest unsealed: every write of a sealed cell runs in one.
        if (state.sealing && !db.inTransaction) throw new Error(OUTSIDE_TRANSACTION);
        capture(d, mac, head);
        state.dirty = true;
        out = Buffer.from(digest);
      }
      xorInto(out, cellTerm(String(table), String(cells[i]), cells[i + 1] as string | number, gen as number));
    }
    return out ?? digest;
  });
  db.function('tv_digest_touch', (d: unknown, mac: unknown, head: unknown) => {
    if (state.sealing && !db.inTransaction) throw new Error(OUTSIDE_TRANSACTION);
    capture(d, mac, head);
    state.dirty = true;
    return null;
  });
}

/**
 * Seals the digest at the end of each write transaction on `db` that moved
 * it or the audit head (one HMAC to check the pre-state's seal, one to seal
 * the new state; nothing for a transaction that did neither, so nothing on
 * reads). `keys` gives the unlocked keys or null. A transaction that moved
 * the digest while locked is refused (LOCKED): every write of a sealed cell
 * needs the keys anyway. Call once per connection, after registerCellDigest.
 */
export function sealCellDigestOnCommit(db: Db, keys: () => VaultKeys | null): void {
  const state = states.get(db);
  if (!state) throw new Error('sealCellDigestOnCommit: the connection has no cell digest functions');
  state.sealing = true;
  addTransactionHooks(db, {
    begin() {
      state.pre = null;
      state.dirty = false;
    },
    beforeCommit() {
      if (!state.dirty) return;
      const pre = state.pre;
      state.pre = null;
      state.dirty = false;
      // Never sealed (a vault being created, or not yet unlocked since migration 15): sealFirstTime does it.
      if (!pre || pre.mac === null) return;
      const k = keys();
      if (!k) throw new VaultError('LOCKED', 'The vault is locked: unlock it to change its records.');
      // Changed outside Tokenvault before this write: left unsealed so verification keeps reporting it.
      if (!macEquals(pre.mac, digestMac(k.digest, pre.digest, pre.headSeq))) return;
      const now = db.prepare('SELECT cell_digest AS d, audit_head_seq AS seq FROM vault_meta WHERE id = 1').get() as { d: Buffer; seq: number };
      db.prepare('UPDATE vault_meta SET cell_digest_mac = ? WHERE id = 1').run(digestMac(k.digest, now.d, now.seq));
    },
  });
}

/** D recomputed from every live cell of GEN_CELLS (one SHA-256 per cell). */
export function computeCellDigest(db: Db): Buffer {
  const d = Buffer.alloc(DIGEST_BYTES);
  for (const { table, column, idColumn } of GEN_CELLS) {
    const rows = db.prepare(`SELECT ${idColumn} AS id, ${column}_gen AS gen FROM ${table} WHERE ${column} IS NOT NULL`).raw().iterate() as IterableIterator<[string | number, number]>;
    for (const [id, gen] of rows) xorInto(d, cellTerm(table, column, id, gen));
  }
  return d;
}

/**
 * Seals a vault's digest for the first time: at creation (`creating`; after
 * a restore's rows and audit log are in) and at the first unlock after
 * migration 15. Call inside a write transaction with the keys held. A no-op
 * when a seal is stored. At an unlock, when none is and the audit chain
 * already holds DIGEST_SEALED_NOTE (the seal was removed outside Tokenvault)
 * or does not verify, nothing is sealed, so verification keeps reporting it. Otherwise D is recomputed
 * from the live cells, the DIGEST_SEALED_NOTE event appended and D sealed
 * with the new audit head. Returns whether it sealed.
 */
export function sealFirstTime(o: { db: Db; keys: VaultKeys; audit: AuditLog; creating: boolean }): boolean {
  const row = o.db.prepare('SELECT cell_digest_mac AS mac FROM vault_meta WHERE id = 1').get() as { mac: Buffer | null } | undefined;
  if (!row || row.mac !== null) return false;
  // A vault being created was never sealed (a restored audit log may hold the event of the vault it came from).
  if (!o.creating && auditHasNote({ keys: o.keys, audit: o.audit }, [DIGEST_SEALED_NOTE])) return false;
  o.audit.appendNow({ type: 'updated', note: DIGEST_SEALED_NOTE });
  const d = computeCellDigest(o.db);
  const seq = (o.db.prepare('SELECT audit_head_seq AS seq FROM vault_meta WHERE id = 1').get() as { seq: number }).seq;
  o.db.prepare('UPDATE vault_meta SET cell_digest = ?, cell_digest_mac = ? WHERE id = 1').run(d, digestMac(o.keys.digest, d, seq));
  return true;
}

/** The outcome of checking the digest: ok, or why not (a sentence for the user). */
export type CellDigestCheck = { ok: true } | { ok: false; reason: string };

/**
 * Checks the stored digest against its seal and against every live cell
 * (one SHA-256 per cell, one HMAC). Reasons: the seal is missing after it
 * was made, the digest or its seal was changed outside Tokenvault, or the
 * live cells do not add up to the digest: a record was put back (an older
 * copy of a row, with its generation), removed or added outside Tokenvault.
 * A vault not yet sealed since migration 15 (no seal, no DIGEST_SEALED_NOTE
 * event) is reported too: its first unlock seals it, so this is only seen
 * when the seal was removed or the unlock could not seal.
 */
export function verifyCellDigest(db: Db, keys: VaultKeys): CellDigestCheck {
  const row = db.prepare('SELECT cell_digest AS d, cell_digest_mac AS mac, audit_head_seq AS seq FROM vault_meta WHERE id = 1').get() as
    | { d: Buffer; mac: Buffer | null; seq: number }
    | undefined;
  if (!row) return { ok: true };
  if (row.mac === null) {
    return { ok: false, reason: 'the seal over the vault records is missing: it was removed outside Tokenvault' };
  }
  if (!Buffer.isBuffer(row.d) || row.d.length !== DIGEST_BYTES || !macEquals(row.mac, digestMac(keys.digest, row.d, row.seq))) {
    return { ok: false, reason: 'the seal over the vault records does not match: it, the records digest or the audit head was changed outside Tokenvault' };
  }
  const live = computeCellDigest(db);
  if (!timingSafeEqual(live, row.d)) {
    return { ok: false, reason: 'a record was put back or removed outside Tokenvault (the vault records do not add up to their sealed digest)' };
  }
  return { ok: true };
}
