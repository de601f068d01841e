import Database from 'better-sqlite3';
import fc from 'fast-check';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from './db';
import { DueStore, type DueRow } from './due-store';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations';
import { tempHome } from './test-support';

const DAY = 86_400_000;
const homes: string[] = [];
afterEach(() => {
  for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
});

function freshDb(): Db {
  const home = tempHome();
  homes.push(home);
  return openDatabase(join(home, 'vault.db'));
}

/** Rows straight into the tables: the store reads only plaintext columns, so sealed blobs can be filler. */
function seed(db: Db, creds: { expiresAt: number | null; rotatedAt: number; rotationDays: number | null; status: string; ws: number }[], policies: Map<number, [number | null, number | null]>) {
  db.transaction(() => {
    for (let w = 0; w < 5; w++) {
      db.prepare('INSERT INTO workspaces (id, name_mac, meta, created_at, updated_at) VALUES (?, ?, ?, 0, 0)').run(`ws_${w}`, Buffer.from(`w${w}`), Buffer.alloc(1));
      db.prepare('INSERT INTO environments (id, workspace_id, name_mac, production, meta, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, 0)').run(`env_${w}`, `ws_${w}`, Buffer.from('e'), w % 2, Buffer.alloc(1));
      const p = policies.get(w);
      if (p) db.prepare('INSERT INTO workspace_policies VALUES (?, ?, ?)').run(`ws_${w}`, p[0], p[1]);
    }
    creds.forEach((c, i) =>
      db
        .prepare(
          `INSERT INTO credentials (id, environment_id, workspace_id, name_mac, kind, status, meta, created_at, updated_at, expires_at, rotated_at, rotation_days)
           VALUES (?, ?, ?, ?, 'bearer', ?, ?, 0, 0, ?, ?, ?)`,
        )
        .run(`cred_${i}`, `env_${c.ws}`, `ws_${c.ws}`, Buffer.from(`n${i}`), c.status, Buffer.alloc(1), c.expiresAt, c.rotatedAt, c.rotationDays),
    );
  })();
}

describe('DueStore', () => {
  it("finds exactly the rows with a date before the horizon, through the indexes, as a scan would", () => {
    const now = 1_750_000_000_000;
    const cred = fc.record({
      expiresAt: fc.option(fc.integer({ min: now - 400 * DAY, max: now + 400 * DAY })),
      rotatedAt: fc.integer({ min: now - 400 * DAY, max: now }),
      rotationDays: fc.option(fc.integer({ min: 1, max: 365 })),
      status: fc.constantFrom('active', 'active', 'expired', 'revoked', 'invalid'),
      ws: fc.integer({ min: 0, max: 4 }),
    });
    const policy = fc.tuple(fc.option(fc.integer({ min: 1, max: 365 })), fc.option(fc.integer({ min: 1, max: 365 })));
    fc.assert(
      fc.property(fc.array(cred, { maxLength: 60 }), fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), policy), { maxLength: 5 }), fc.integer({ min: -30, max: 60 }), (creds, pols, days) => {
        const db = freshDb();
        seed(db, creds, new Map(pols));
        const store = new DueStore(db);
        const h = now + days * DAY;
        const near = (r: DueRow) => {
          const period = r.rotationDays ?? r.workspaceRotationDays ?? r.providerRotationDays;
          return r.status === 'expired' || (r.expiresAt !== null && r.expiresAt <= h) || (period !== null && r.rotatedAt + period * DAY <= h);
        };
        const expected = store.rows().filter(near).map((r) => r.id).sort();
        expect(store.rows({ dueBefore: h }).map((r) => r.id).sort()).toEqual(expected);
        db.close();
      }),
      { numRuns: 40 },
    );
  });

  it('uses an index for each kind of date (no scan of the credentials)', () => {
    const db = freshDb();
    const plan = (where: string) =>
      (db.prepare(`EXPLAIN QUERY PLAN SELECT id FROM credentials c WHERE ${where}`).all(1) as { detail: string }[]).map((r) => r.detail).join('; ');
    expect(plan('c.expires_at <= ?')).toContain('credentials_by_expiry');
    expect(plan('c.rotated_at + c.rotation_days * 86400000 <= ?')).toContain('credentials_by_rotation_due');
    expect(plan("c.status = 'expired' AND ? = 1")).toContain('credentials_marked_expired');
  });

  it('records reminders once, forgets those of an older due date, and keeps snoozes', () => {
    const db = freshDb();
    seed(db, [{ expiresAt: 100, rotatedAt: 0, rotationDays: null, status: 'active', ws: 0 }], new Map());
    const store = new DueStore(db);
    store.markSent([{ credentialId: 'cred_0', kind: 'expiry', threshold: 14, dueAt: 100 }], 1);
    store.markSent([{ credentialId: 'cred_0', kind: 'expiry', threshold: 14, dueAt: 100 }], 2);
    expect([...store.sentKeys()]).toEqual(['cred_0|expiry|14|100']);
    store.markSent([{ credentialId: 'cred_0', kind: 'expiry', threshold: 3, dueAt: 200 }], 3);
    expect([...store.sentKeys()]).toEqual(['cred_0|expiry|3|200']);
    store.setSnooze('cred_0', 500);
    expect(store.snoozes().get('cred_0')).toBe(500);
    store.clearSnoozesBefore(499);
    expect(store.snoozes().size).toBe(1);
    store.clearSnoozesBefore(500);
    expect(store.snoozes().size).toBe(0);
    // Deleting the credential takes its reminders and snooze with it.
    store.setSnooze('cred_0', 900);
    db.prepare('DELETE FROM credentials').run();
    expect(store.sentKeys().size).toBe(0);
    expect(store.snoozes().size).toBe(0);
  });

  it('migrates a version-1 vault, keeping a copy of the old file', () => {
    const home = tempHome();
    homes.push(home);
    const file = join(home, 'vault.db');
    const v1 = new Database(file);
    v1.exec(MIGRATIONS[0]!);
    v1.pragma('user_version = 1');
    v1.close();
    const db = openDatabase(file, { now: () => 42 });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(3);
    expect(() => new DueStore(db).rows({ dueBefore: 0 })).not.toThrow();
    expect(readdirSync(home)).toContain('vault.db.v1-42.bak');
    db.close();
  });
});
