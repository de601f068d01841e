import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from './db';
import { openTempVault, rawDb, type TempVault } from './test-support';
import type { Vault } from './vault';

/**
 * A value that was replaced, wiped or deleted leaves no copy of its sealed box
 * in the database file (db.ts sets `PRAGMA secure_delete = ON`). Without it
 * SQLite only unlinks a deleted cell, and its bytes stay in the page's free
 * space (in the table and again in the covering index
 * `credentials_secret_by_id`) or on a page that fell to the freelist, until
 * something overwrites them: whoever later learns the key (a leaked keychain
 * entry, a guessed passphrase) could open a value the user rotated away.
 * `secure_delete = FAST` is not enough: it leaves freed pages as they were,
 * which the bulk case below catches.
 */

let t: TempVault;
afterEach(() => t?.cleanup());

const value = (i: number, tag: string) => `tok_${tag}_${String(i).padStart(4, '0')}_0123456789abcdef`;

/** `changed` tokens to change, and a neighbouring workspace whose tokens stay, so the pages stay in use. */
async function vaultWithTokens(changed: number): Promise<{ vault: Vault; ids: string[]; workspaceId: string; keep: string[] }> {
  t = openTempVault();
  await t.vault.init({ keySource: 'keychain' });
  const v = t.vault;
  const add = (name: string, n: number, tag: string) => {
    const ws = v.addWorkspace({ name });
    const env = v.addEnvironment({ workspaceId: ws.id, name: 'production', baseUrl: 'https://api.example.com' });
    const ids = v.addCredentials(Array.from({ length: n }, (_, i) => ({ environmentId: env.id, name: `${tag} ${i}`, kind: 'bearer', secret: { value: value(i, tag) } }))).map((c) => c.id);
    return { ws, ids };
  };
  const keep = add('Neighbour', 20, 'keep');
  const gone = add('Acme', changed, 'old');
  v.flush();
  return { vault: v, ids: gone.ids, workspaceId: gone.ws.id, keep: keep.ids };
}

function sealedBoxes(ids: readonly string[]): Buffer[] {
  const raw = rawDb(t.home, { readonly: true });
  try {
    return ids.map((id) => {
      const r = raw.prepare('SELECT secret FROM credentials WHERE id = ?').get(id) as { secret: Buffer | null };
      expect(r.secret).toBeInstanceOf(Buffer);
      return r.secret!;
    });
  } finally {
    raw.close();
  }
}

/** Moves every page from the WAL into vault.db and empties the WAL; returns vault.db's bytes and its freelist length. */
function checkpointedFile(): { bytes: Buffer; freePages: number } {
  const raw = rawDb(t.home);
  try {
    const [r] = raw.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    expect(r!.busy).toBe(0);
    return { bytes: readFileSync(join(t.home, 'vault.db')), freePages: raw.pragma('freelist_count', { simple: true }) as number };
  } finally {
    raw.close();
  }
}

/** How many copies of the needles the haystack holds, in all. */
function copies(haystack: Buffer, needles: readonly Buffer[]): number {
  let n = 0;
  for (const needle of needles) for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) n++;
  return n;
}

describe('secure_delete', () => {
  it('is ON on the vault connection (a raw connection has SQLite default, off)', async () => {
    await vaultWithTokens(1);
    const raw = rawDb(t.home);
    try {
      expect(raw.pragma('secure_delete', { simple: true })).toBe(0);
    } finally {
      raw.close();
    }
    const db = (t.vault as unknown as { db: Db }).db;
    expect(db.pragma('secure_delete', { simple: true })).toBe(1);
  });

  const changes: [string, (v: Vault, id: string) => void][] = [
    ['replaced (rotation)', (v, id) => v.replaceSecret(id, { value: `tok_new_${id}` })],
    ['wiped by a revocation', (v, id) => v.markRevoked(id, { wipeSecret: true, note: 'leaked' })],
    ['deleted with their tokens', (v, id) => v.removeCredential(id)],
  ];

  it.each(changes)('values %s leave no copy of their old boxes in vault.db after a checkpoint', async (_label, change) => {
    const { vault, ids, keep } = await vaultWithTokens(12);
    const old = sealedBoxes(ids);
    const kept = sealedBoxes(keep);
    // The search looks where the data is: each box in its row and in its covering-index entry.
    expect(copies(checkpointedFile().bytes, old)).toBe(2 * old.length);

    for (const id of ids) change(vault, id);
    vault.flush();
    const { bytes } = checkpointedFile();
    expect(copies(bytes, old)).toBe(0);
    // The neighbours' boxes are all there, twice each, and open.
    expect(copies(bytes, kept)).toBe(2 * kept.length);
    expect(vault.revealCredential(keep[0]!).value).toBe(value(0, 'keep'));
  });

  it('a workspace removed with 300 tokens leaves none of their boxes, not even on pages freed whole', async () => {
    const { vault, ids, workspaceId } = await vaultWithTokens(300);
    const old = sealedBoxes(ids);
    expect(copies(checkpointedFile().bytes, old)).toBe(2 * old.length);

    vault.removeWorkspace(workspaceId);
    vault.flush();
    const { bytes, freePages } = checkpointedFile();
    // Whole pages went to the freelist (which `secure_delete = FAST` leaves unwritten).
    expect(freePages).toBeGreaterThan(0);
    expect(copies(bytes, old)).toBe(0);
  });

  it('while the vault stays open (the app), a checkpoint and the next write leave none of the old boxes in -wal either', async () => {
    const { vault, ids, workspaceId, keep } = await vaultWithTokens(300);
    const old = sealedBoxes(ids);
    const db = (vault as unknown as { db: Db }).db;
    const wal = () => readFileSync(join(t.home, 'vault.db-wal'));
    expect(copies(wal(), old)).toBeGreaterThan(0);

    vault.removeWorkspace(workspaceId);
    vault.flush();
    // What SQLite's automatic checkpoint does in a long-running process: no reset, no truncation.
    expect((db.pragma('wal_checkpoint(PASSIVE)') as { busy: number }[])[0]!.busy).toBe(0);
    // The next write starts the WAL over: with journal_size_limit = 0 the file is cut back first,
    // instead of keeping whatever older frames lie past the new ones.
    vault.replaceSecret(keep[0]!, { value: 'tok_after_the_checkpoint_0123456789' });
    vault.flush();
    expect(copies(wal(), old)).toBe(0);
    expect(copies(readFileSync(join(t.home, 'vault.db')), old)).toBe(0);
    expect(vault.revealCredential(keep[0]!).value).toBe('tok_after_the_checkpoint_0123456789');
  });

  it('with another process keeping the vault open, a deleted value is gone from vault.db when the command returns, not at some later checkpoint', async () => {
    const { vault, ids } = await vaultWithTokens(12);
    const old = sealedBoxes(ids);
    // The app (another connection) holds the vault open, so no close ever checkpoints; bring the boxes into the file first.
    const app = rawDb(t.home);
    try {
      app.pragma('wal_checkpoint(TRUNCATE)');
      expect(copies(readFileSync(join(t.home, 'vault.db')), old)).toBe(2 * old.length);
      vault.removeCredential(ids[0]!);
      vault.replaceSecret(ids[1]!, { value: 'tok_rotated_0123456789abcdef' });
      vault.markRevoked(ids[2]!, { wipeSecret: true, note: 'leaked' });
      const file = readFileSync(join(t.home, 'vault.db'));
      expect(copies(file, old.slice(0, 3))).toBe(0);
      // The others are untouched, both copies each.
      expect(copies(file, old.slice(3))).toBe(2 * (old.length - 3));
    } finally {
      app.close();
    }
  });

  it('control: a delete on a connection without secure_delete leaves the old boxes in the file', async () => {
    const { ids } = await vaultWithTokens(12);
    const old = sealedBoxes(ids);
    t.vault.close();
    const raw = rawDb(t.home);
    try {
      expect(raw.pragma('secure_delete', { simple: true })).toBe(0);
      // A raw connection has foreign keys off: the rows go without their dependants, which is all this needs.
      const del = raw.prepare('DELETE FROM credentials WHERE id = ?');
      for (const id of ids) expect(del.run(id).changes).toBe(1);
    } finally {
      raw.close();
    }
    expect(copies(checkpointedFile().bytes, old)).toBeGreaterThan(0);
  });
});
