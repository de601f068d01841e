import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { usePassphraseCli } from './test-cli';

// What a command leaves queued is written when it closes the vault (a reveal's
// audit event). When that write cannot happen, the command did not fully
// happen: it says so, typed, with exit 1 — not "unexpected failure".
const fixture = usePassphraseCli();
const tv = fixture.tv;
const SECRET = 'tok_close_0123456789abcdef0123456789';

describe('closing the vault at the end of a command', () => {
  it('a reveal whose audit event cannot be written (the write lock held past the wait) exits 1 with BUSY, not an unexpected failure', () => {
    fixture.seedOneToken(SECRET);
    const auditBefore = tv(['audit', '--json']).json() as unknown[];

    const holder = new Database(join(fixture.home, 'vault.db'));
    let r: ReturnType<typeof tv>;
    try {
      // Another process's write transaction, held for longer than the CLI's busy wait (5 s).
      holder.prepare('BEGIN IMMEDIATE').run();
      r = tv(['token', 'reveal', 'Acme/sandbox/ci']);
    } finally {
      holder.prepare('ROLLBACK').run();
      holder.close();
    }
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/BUSY|busy|another process/i);
    expect(r.stderr).not.toMatch(/unexpected failure/);
    // Nothing of the reveal was recorded, and the vault still answers.
    expect(tv(['audit', '--json']).json()).toHaveLength(auditBefore.length);
  }, 120_000);
});
