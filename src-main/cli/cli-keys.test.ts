import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempHome } from '../vault/test-support';
import { runCli } from './test-cli';

/**
 * `tokenvault passphrase change`, `tokenvault key-source keychain|passphrase`
 * and `tokenvault audit`'s filters, through the built CLI on a passphrase vault.
 */
const root = join(__dirname, '..', '..');
let home: string;
let data: string;
const file = (name: string, text: string) => {
  const p = join(home, name);
  writeFileSync(p, `${text}\n`, { mode: 0o600 });
  return p;
};
let oldPass: string;
let newPass: string;
let wrongPass: string;
let shortPass: string;

beforeAll(async () => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build-node.mjs')], { cwd: root });
  home = tempHome();
  data = join(home, 'data');
  oldPass = file('old.txt', 'the old passphrase 1');
  newPass = file('new.txt', 'the new passphrase 2');
  wrongPass = file('wrong.txt', 'not the passphrase at all');
  shortPass = file('short.txt', 'short');
  expect((await runCli(['init', '--passphrase'], { TOKENVAULT_HOME: data, TOKENVAULT_PASSPHRASE_FILE: oldPass })).code).toBe(0);
  expect((await runCli(['workspace', 'add', 'Acme'], { TOKENVAULT_HOME: data, TOKENVAULT_PASSPHRASE_FILE: oldPass })).code).toBe(0);
}, 120_000);

afterAll(() => rmSync(home, { recursive: true, force: true }));

const env = (passFile: string) => ({ TOKENVAULT_HOME: data, TOKENVAULT_PASSPHRASE_FILE: passFile, TOKENVAULT_SESSION: '' });

describe('tokenvault passphrase change / key-source', { timeout: 300_000 }, () => {
  it('a wrong current passphrase: WRONG_PASSPHRASE (exit 1) and the old passphrase still opens the vault', async () => {
    const r = await runCli(['passphrase', 'change', '--new-passphrase-file', newPass, '--json'], env(wrongPass));
    expect(r.code).toBe(1);
    expect(r.json()).toMatchObject({ error: { code: 'WRONG_PASSPHRASE' } });
    expect((await runCli(['workspace', 'list', '--json'], env(oldPass))).code).toBe(0);
  });

  it('a new passphrase under 10 characters: VALIDATION (exit 2), nothing changed', async () => {
    const r = await runCli(['passphrase', 'change', '--new-passphrase-file', shortPass, '--json'], env(oldPass));
    expect(r.code).toBe(2);
    expect(r.json()).toMatchObject({ error: { code: 'VALIDATION' } });
    expect((await runCli(['workspace', 'list', '--json'], env(oldPass))).code).toBe(0);
  });

  it('changes it: the old passphrase stops working, the new one works, and the change is in the audit log', async () => {
    const r = await runCli(['passphrase', 'change', '--new-passphrase-file', newPass, '--json'], env(oldPass));
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ keySource: 'passphrase' });
    const old = await runCli(['workspace', 'list', '--json'], env(oldPass));
    // A read-only command unlocks too: the old passphrase is refused.
    expect(old.json()).toMatchObject({ error: { code: 'WRONG_PASSPHRASE' } });
    const audit = await runCli(['audit', '--type', 'key_source_changed', '--json'], env(newPass));
    expect(audit.code).toBe(0);
    expect((audit.json() as { type: string; note: string }[]).map((e) => [e.type, e.note])).toEqual([['key_source_changed', 'master passphrase changed']]);
  });

  it('key-source keychain moves the key where a keychain is reachable, else KEYCHAIN_UNAVAILABLE with nothing changed', async () => {
    const r = await runCli(['key-source', 'keychain', '--json'], env(newPass));
    if (r.code === 0) {
      // A Secret Service is running: no passphrase is needed any more; then back behind a passphrase.
      expect((await runCli(['workspace', 'list', '--json'], env(''))).code).toBe(0);
      const back = await runCli(['key-source', 'passphrase', '--new-passphrase-file', newPass, '--json'], env(''));
      expect(back.code).toBe(0);
      expect(back.json()).toMatchObject({ keySource: 'passphrase' });
    } else {
      expect(r.json()).toMatchObject({ error: { code: 'KEYCHAIN_UNAVAILABLE' } });
      expect((await runCli(['status', '--json'], env(newPass))).json()).toMatchObject({ keySource: 'passphrase' });
    }
    expect((await runCli(['workspace', 'list', '--json'], env(newPass))).code).toBe(0);
  });

  it('key-source with anything but keychain or passphrase is a usage error', async () => {
    const r = await runCli(['key-source', 'usb-stick', '--json'], env(newPass));
    expect(r.code).toBe(2);
    expect(r.json()).toMatchObject({ error: { code: 'USAGE' } });
  });
});

describe('tokenvault audit filters', { timeout: 120_000 }, () => {
  it('--type keeps only those events; --since tomorrow finds none; a malformed date is VALIDATION', async () => {
    const all = (await runCli(['audit', '--limit', '1000', '--json'], env(newPass))).json() as { type: string }[];
    expect(all.some((e) => e.type === 'created')).toBe(true);
    const created = (await runCli(['audit', '--type', 'created,key_source_changed', '--json'], env(newPass))).json() as { type: string }[];
    expect(created.length).toBeGreaterThan(0);
    expect(created.every((e) => e.type === 'created' || e.type === 'key_source_changed')).toBe(true);
    expect(created.length).toBe(all.filter((e) => e.type === 'created' || e.type === 'key_source_changed').length);
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    expect((await runCli(['audit', '--since', tomorrow, '--json'], env(newPass))).json()).toEqual([]);
    const bad = await runCli(['audit', '--since', 'last tuesday', '--json'], env(newPass));
    expect(bad.code).toBe(2);
    expect(bad.json()).toMatchObject({ error: { code: 'VALIDATION' } });
    const badType = await runCli(['audit', '--type', 'teleported', '--json'], env(newPass));
    expect(badType.code).toBe(2);
  });
});
