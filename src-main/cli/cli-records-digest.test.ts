import { describe, expect, it } from 'vitest';
import { dropWriteGuards, rawDb } from '../vault/test-support';
import { usePassphraseCli } from './test-cli';

// Issue 15, tampering, "replay an old row": `tokenvault audit --verify` checks
// the sealed digest of the vault's records (cell-digest.ts) besides the audit
// chain, and exits 1 naming what it found when a row was put back.
const fixture = usePassphraseCli();
const tv = fixture.tv;
const SECRET = 'tok_digest_cli_0123456789abcdef0123';

describe('tokenvault audit --verify and the records digest', () => {
  it('says the records are intact, then reports the row of a token put back outside Tokenvault (its details before an edit) (exit 1, typed JSON)', () => {
    fixture.seedOneToken(SECRET);
    const ok = tv(['audit', '--verify']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/Audit log intact: \d+ events verified; vault records intact\./);

    const raw = rawDb(fixture.home);
    let old: { id: string; meta: Buffer; meta_gen: number };
    try {
      old = raw.prepare('SELECT id, meta, meta_gen FROM credentials').get() as typeof old;
    } finally {
      raw.close();
    }
    expect(tv(['token', 'edit', 'Acme/sandbox/ci', '--notes', 'edited after the copy']).code).toBe(0);
    const w = rawDb(fixture.home);
    try {
      dropWriteGuards(w);
      w.prepare('UPDATE credentials SET meta = ?, meta_gen = ? WHERE id = ?').run(old.meta, old.meta_gen, old.id);
    } finally {
      w.close();
    }

    const broken = tv(['audit', '--verify']);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/^Vault records BROKEN: .*outside Tokenvault.*\. The audit log's \d+ events verify\./);
    const json = tv(['audit', '--verify', '--json']);
    expect(json.code).toBe(1);
    expect(json.json()).toMatchObject({ ok: false, firstBrokenSeq: null, recordsIntact: false });
    expect(json.stdout).not.toContain(SECRET);
  }, 180_000);
});
