import Database from 'better-sqlite3';
import ICAL from 'ical.js';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { usePassphraseCli } from './test-cli';

// `tokenvault due` end to end through a child process, as a CI pipeline runs it.
const fixture = usePassphraseCli({ env: { TZ: 'Europe/Amsterdam', LANG: 'en_GB.UTF-8' } });
const tv = (args: string[], input = '') => fixture.tv(args, input);

const SECRET = 'sk_live_4f9c2e7a1b3d5f7092ab4cd6ef8a9b0c';
const isoDate = (daysFromNow: number) => new Date(Date.now() + daysFromNow * 86_400_000).toISOString().slice(0, 10);

describe('tokenvault due', () => {
  it('says so when nothing is due, and exits 0', () => {
    expect(tv(['init', '--passphrase']).code).toBe(0);
    expect(tv(['workspace', 'add', 'Acme']).code).toBe(0);
    expect(tv(['env', 'add', 'Acme', 'production', '--base-url', 'https://api.example.com', '--production']).code).toBe(0);
    expect(tv(['env', 'add', 'Acme', 'sandbox', '--base-url', 'https://sandbox.example.com']).code).toBe(0);
    const r = tv(['due']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Nothing expires or is due for rotation in the next 30 days.');
    expect(tv(['due', '--json']).json()).toEqual([]);
  });

  it('lists expiry and rotation dates in the window, earliest first, as JSON', () => {
    const add = (ref: string, flags: string[]) => expect(tv(['token', 'add', ref, '--kind', 'bearer', ...flags], `${SECRET}\n`).code).toBe(0);
    add('Acme/production/orders', ['--duration', '7d']);
    add('Acme/sandbox/rotating', ['--rotate-every', '20d']);
    add('Acme/production/far', ['--expires', isoDate(60)]);
    add('Acme/production/forever', []);
    const r = tv(['due', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const rows = r.json() as Record<string, unknown>[];
    expect(rows.map((x) => [x.ref, x.kind, x.status])).toEqual([
      ['Acme/production/orders', 'expiry', 'due_soon'],
      ['Acme/sandbox/rotating', 'rotation', 'ok'],
    ]);
    expect(Object.keys(rows[0]!).sort()).toEqual(['daysLeft', 'dueAt', 'dueDate', 'environment', 'id', 'kind', 'name', 'ref', 'status', 'workspace']);
    // The instant with the user's offset (Amsterdam), and its calendar date.
    expect(rows[0]!.dueAt).toMatch(/[+]0[12]:00$/);
    expect(rows[0]!.dueDate).toBe((rows[0]!.dueAt as string).slice(0, 10));
    expect(rows[0]).toMatchObject({ workspace: 'Acme', environment: 'production', name: 'orders' });
    // `token add --duration` adds 7 × 24 h: 7 calendar days, give or take a DST hour near midnight.
    expect(Math.abs((rows[0]!.daysLeft as number) - 7)).toBeLessThanOrEqual(1);
    expect(rows[0]!.id).toMatch(/^cred_/);
    expect(Date.parse(rows[0]!.dueAt as string)).toBeGreaterThan(Date.now());
    expect(rows[1]).toMatchObject({ daysLeft: 20 });
    expect(r.stdout).not.toContain(SECRET);
  });

  it('takes another window, and prints a table for people', () => {
    expect(tv(['due', '--within', '10d', '--json']).json().map((x: { name: string }) => x.name)).toEqual(['orders']);
    expect(tv(['due', '--within', '90', '--json']).json().map((x: { name: string }) => x.name)).toEqual(['orders', 'rotating', 'far']);
    expect(tv(['due', '--within', '2w', '--json']).json()).toHaveLength(1);
    const human = tv(['due', '--within', '90d']);
    expect(human.code).toBe(0);
    const lines = human.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^TOKEN\s+WHAT\s+DATE\s+DAYS LEFT\s+STATUS$/);
    expect(lines[1]).toMatch(/^Acme\/production\/orders\s+expires\s+.+\s+in [678] days\s+due_soon$/);
    expect(lines[2]).toMatch(/^Acme\/sandbox\/rotating\s+rotation due\s+.+\s+in 20 days\s+ok$/);
  });

  it('exits 1 while anything is expired (for CI), listing it first', () => {
    expect(tv(['token', 'add', 'Acme/production/old', '--kind', 'bearer', '--expires', '2020-01-01'], SECRET).code).toBe(0);
    const r = tv(['due', '--json']);
    expect(r.code).toBe(1);
    // A date-only expiry ends at the end of that day in the user's zone, and keeps its date.
    expect(r.json()[0]).toMatchObject({ name: 'old', kind: 'expiry', status: 'expired', dueAt: '2020-01-01T23:59:59.999+01:00', dueDate: '2020-01-01' });
    expect(r.json()[0].daysLeft).toBeLessThan(-1000);
    const human = tv(['due']);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/Acme\/production\/old\s+expired\s+/);
    // Once it is gone, the pipeline is green again.
    expect(tv(['token', 'rm', 'Acme/production/old', '--yes']).code).toBe(0);
    expect(tv(['due']).code).toBe(0);
  });

  it('refuses a window it cannot read, with exit 2', () => {
    for (const bad of ['soon', '30x', '1.5d', '99999d']) {
      const r = tv(['due', '--within', bad, '--json']);
      expect(r.code, bad).toBe(2);
      expect(r.json().error.code).toBe('VALIDATION');
    }
    expect(tv(['due', 'extra']).code).toBe(2);
  });

  it('writes the upcoming dates as an .ics calendar, owner-only, audited as exported', () => {
    const file = join(fixture.home, 'due.ics');
    // A file that already exists, readable by others: the export must not inherit that.
    writeFileSync(file, 'old calendar', { mode: 0o644 });
    chmodSync(file, 0o644);
    const r = tv(['due', '--ics', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toEqual({ file, events: 3 });
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(SECRET);
    const fingerprints = (tv(['token', 'list', '--json']).json() as { fingerprint: string }[]).map((c) => c.fingerprint);
    for (const fp of fingerprints) expect(text).not.toContain(fp);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const events = new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent').map((e) => new ICAL.Event(e));
    expect(events.map((e) => e.summary)).toEqual([
      'Token expires: Acme/production/orders (production)',
      'Rotate token: Acme/sandbox/rotating',
      'Token expires: Acme/production/far (production)',
    ]);
    expect(events.map((e) => e.uid)).toEqual(events.map((e) => e.uid).filter((u, i, all) => all.indexOf(u) === i));
    expect(events[1]!.startDate.isDate).toBe(true);
    // A date-only expiry (--expires YYYY-MM-DD) is an all-day event on that very date.
    expect(events[2]!.startDate.isDate).toBe(true);
    expect(events[2]!.startDate.toString()).toBe(isoDate(60));
    expect(text).toMatch(/DTSTART;VALUE=DATE:\d{8}/);
    const audit = tv(['audit', '--json', '--limit', '5']).json() as { type: string; note: string }[];
    expect(audit.filter((e) => e.type === 'exported')).toEqual([expect.objectContaining({ note: 'calendar of 3 due dates (.ics)' })]);
    // --within narrows the calendar too.
    expect(tv(['due', '--ics', file, '--within', '10d', '--json']).json()).toEqual({ file, events: 1 });
  });

  it('counts days and dates in the zone chosen in Settings, as the app does, not in TZ', () => {
    // 11:00 UTC is noon in Amsterdam (TZ here) and already 01:00 the next day on Kiritimati (UTC+14).
    const day = isoDate(12);
    expect(tv(['token', 'add', 'Acme/production/zoned', '--kind', 'bearer', '--expires', `${day}T11:00:00Z`], SECRET).code).toBe(0);
    const row = () => (tv(['due', '--json']).json() as { name: string; dueAt: string; dueDate: string }[]).find((x) => x.name === 'zoned')!;
    expect(row()).toMatchObject({ dueDate: day, dueAt: `${day}T12:00:00+01:00` });
    const db = new Database(join(fixture.home, 'vault.db'));
    try {
      db.prepare("INSERT INTO settings (key, value) VALUES ('timeZone', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(JSON.stringify('Pacific/Kiritimati'));
    } finally {
      db.close();
    }
    const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    expect(row()).toMatchObject({ dueDate: next, dueAt: `${next}T01:00:00+14:00` });
  });
});
