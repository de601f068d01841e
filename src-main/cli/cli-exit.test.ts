import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WAL_LEFT_AT_EXIT_MAX_BYTES } from '../vault/db';
import { CLI, usePassphraseCli } from './test-cli';

// Issue 11: a one-shot command (test, token reveal) ends its process as soon
// as it is done and leaves the database to the exit, so SQLite's close-time
// checkpoint (and re-creating the WAL in the next process) is not paid on every
// call. What it wrote must still be there for the next process, and the WAL
// must stay bounded.
const fixture = usePassphraseCli();
const tv = fixture.tv;
const SECRET = 'tok_exit_0123456789abcdef0123456789';
const db = () => join(fixture.home, 'vault.db');
const wal = () => `${db()}-wal`;

function integrity(): string {
  const raw = new Database(db(), { readonly: true });
  try {
    return raw.pragma('integrity_check', { simple: true }) as string;
  } finally {
    raw.close();
  }
}

describe('a one-shot command leaves the database to its exit', () => {
  it('token reveal prints the value, leaves the WAL for the next process, and its audit event is there for it', () => {
    fixture.seedOneToken(SECRET);
    // Any other command closes the database: the last close checkpoints and deletes the WAL.
    const before = tv(['audit', '--json']).json() as { seq: number; type: string }[];
    expect(existsSync(wal())).toBe(false);

    const r = tv(['token', 'reveal', 'Acme/sandbox/ci']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(SECRET);
    expect(statSync(wal()).size).toBeGreaterThan(0);

    const after = tv(['audit', '--json']).json() as { seq: number; type: string }[];
    // The reveal (and, for a passphrase vault, its unlock), written by a process that never closed the database.
    const last = Math.max(...before.map((e) => e.seq));
    expect(after.filter((e) => e.seq <= last)).toEqual(before);
    expect(after.filter((e) => e.seq > last).map((e) => e.type)).toContain('revealed');
    expect(tv(['audit', '--verify']).code).toBe(0);
    expect(integrity()).toBe('ok');
  }, 120_000);

  it('a WAL past the limit is checkpointed and removed by the one-shot command that finds it, so it never grows without bound', () => {
    // Another process's large write left in the WAL (written, then dropped; never checkpointed).
    const writer = spawnSync(
      process.execPath,
      [
        '-e',
        `const D = require(${JSON.stringify(require.resolve('better-sqlite3'))});
         const db = new D(process.argv[1]);
         db.pragma('wal_autocheckpoint = 0');
         db.exec('CREATE TABLE scratch (b BLOB)');
         const put = db.prepare('INSERT INTO scratch VALUES (randomblob(4000))');
         for (let i = 0; i < ${Math.ceil((WAL_LEFT_AT_EXIT_MAX_BYTES * 1.5) / 4000)}; i++) put.run();
         db.exec('DROP TABLE scratch');
         process.exit(0);`,
        db(),
      ],
      { encoding: 'utf8' },
    );
    expect(writer.status, writer.stderr).toBe(0);
    expect(statSync(wal()).size).toBeGreaterThan(WAL_LEFT_AT_EXIT_MAX_BYTES);

    const r = tv(['token', 'reveal', 'Acme/sandbox/ci']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(SECRET);
    expect(existsSync(wal())).toBe(false);
    expect(integrity()).toBe('ok');
    expect(tv(['audit', '--verify']).code).toBe(0);
  }, 120_000);

  it('output that cannot be written (a full disk) is exit 1 with one line saying so, not exit 0 with nothing written', () => {
    const full = openSync('/dev/full', 'w');
    try {
      for (const args of [['token', 'reveal', 'Acme/sandbox/ci'], ['token', 'show', 'Acme/sandbox/ci']]) {
        const r = spawnSync(process.execPath, [CLI, ...args], {
          stdio: ['ignore', full, 'pipe'],
          encoding: 'utf8',
          env: { ...process.env, TOKENVAULT_HOME: fixture.home, TOKENVAULT_PASSPHRASE_FILE: fixture.passFile },
        });
        expect(r.status, args.join(' ')).toBe(1);
        expect(r.stderr).toBe('tokenvault: could not write the output (ENOSPC).\n');
      }
    } finally {
      closeSync(full);
    }
  }, 120_000);

  it('a reader that went away (`| head`) is not an error: no stack trace, the exit code of the command', async () => {
    for (const args of [['token', 'reveal', 'Acme/sandbox/ci'], ['audit', '--json']]) {
      const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, TOKENVAULT_HOME: fixture.home, TOKENVAULT_PASSPHRASE_FILE: fixture.passFile } });
      child.stdout.destroy();
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(stderr, args.join(' ')).toBe('');
      expect(code, args.join(' ')).toBe(0);
    }
  }, 120_000);

  it('a failing one-shot command still exits with its code and its whole message', () => {
    const r = tv(['token', 'reveal', 'Acme/sandbox/nope', '--json']);
    expect(r.code).toBe(2);
    expect((JSON.parse(r.stdout) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  }, 120_000);
});
