import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VaultError } from '../../src-shared/errors';
import { OsKeyStore, type KeychainPrefetch, type KeytarApi } from '../vault/keychain';
import { tempHome } from '../vault/test-support';
import { KEY_HINT_FILE, readKeyHint, startKeyPrefetch, writeKeyHint } from './key-prefetch';
import { earlyUnlock, homeOption } from './launcher';
import { CLI } from './test-cli';

const ID = `vault_${'ab'.repeat(16)}`;
const OTHER_ID = `vault_${'cd'.repeat(16)}`;
const posix = process.platform !== 'win32';

describe('the keychain hint file (issue 11): nothing secret, owner-only, trusted only when it is exactly right', () => {
  let dir = '';
  beforeAll(() => {
    dir = tempHome();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const hintFile = () => join(dir, KEY_HINT_FILE);
  const put = (text: string, mode = 0o600) => {
    rmSync(hintFile(), { force: true });
    writeFileSync(hintFile(), text, { mode });
    chmodSync(hintFile(), mode);
  };

  it('is written owner-only with the vault id and nothing else, and read back', () => {
    writeKeyHint(dir, ID);
    expect(JSON.parse(readFileSync(hintFile(), 'utf8'))).toEqual({ v: 1, vaultId: ID, keySource: 'keychain' });
    if (posix) expect(statSync(hintFile()).mode & 0o777).toBe(0o600);
    expect(readKeyHint(dir)).toEqual({ vaultId: ID });
  });

  it('keeps only this vault\'s key from the keychain\'s answer, which holds every Tokenvault vault\'s (review)', async () => {
    writeKeyHint(dir, ID);
    const mine = { account: ID, password: 'bWluZQ==' };
    const prefetch = startKeyPrefetch(dir, () => ({ findCredentials: async () => [{ account: OTHER_ID, password: 'b3RoZXI=' }, mine] }));
    expect(prefetch?.hint).toEqual({ vaultId: ID });
    expect(await prefetch!.entries).toEqual({ ok: true, list: [mine] });
    // A keychain that does not answer is kept as a failure: the slow path then reports it typed.
    const down = startKeyPrefetch(dir, () => ({ findCredentials: async () => Promise.reject(new Error('no Secret Service')) }));
    expect(await down!.entries).toEqual({ ok: false });
  });

  it('is removed for a vault whose key is not in the keychain', () => {
    writeKeyHint(dir, ID);
    writeKeyHint(dir, null);
    expect(existsSync(hintFile())).toBe(false);
    expect(readKeyHint(dir)).toBeNull();
  });

  it.each([
    ['not JSON', '{"v":1,"vaultId":'],
    ['an array', '[1]'],
    ['another version', JSON.stringify({ v: 2, vaultId: ID, keySource: 'keychain' })],
    ['a passphrase vault', JSON.stringify({ v: 1, vaultId: ID, keySource: 'passphrase' })],
    ['a malformed vault id', JSON.stringify({ v: 1, vaultId: 'vault_../../etc', keySource: 'keychain' })],
    ['an extra field', JSON.stringify({ v: 1, vaultId: ID, keySource: 'keychain', key: 'x' })],
    ['too large', JSON.stringify({ v: 1, vaultId: ID, keySource: 'keychain' }) + ' '.repeat(300)],
  ])('a corrupt hint (%s) is not trusted', (_, text) => {
    put(text);
    expect(readKeyHint(dir)).toBeNull();
  });

  it.skipIf(!posix)('a hint others can read or write, or a symlink, is not trusted', () => {
    put(JSON.stringify({ v: 1, vaultId: ID, keySource: 'keychain' }), 0o644);
    expect(readKeyHint(dir)).toBeNull();
    put(JSON.stringify({ v: 1, vaultId: ID, keySource: 'keychain' }), 0o620);
    expect(readKeyHint(dir)).toBeNull();
    const elsewhere = join(dir, 'elsewhere.json');
    writeFileSync(elsewhere, JSON.stringify({ v: 1, vaultId: ID, keySource: 'keychain' }), { mode: 0o600 });
    rmSync(hintFile(), { force: true });
    symlinkSync(elsewhere, hintFile());
    expect(readKeyHint(dir)).toBeNull();
    rmSync(hintFile(), { force: true });
  });

  it('no hint, no keychain read: the launcher starts nothing, and nothing at all with a session or for other commands', () => {
    rmSync(hintFile(), { force: true });
    const entry = { words: ['test'], valueOptions: [], bundle: 'b', unlocksFirst: true };
    expect(earlyUnlock(['test', 'X'], entry, { TOKENVAULT_HOME: dir })).toEqual({ home: dir, prefetch: null, processExits: true });
    writeKeyHint(dir, ID);
    expect(earlyUnlock(['test', 'X'], entry, { TOKENVAULT_HOME: dir, TOKENVAULT_SESSION: 'tvs_x' })).toEqual({ home: dir, prefetch: null, processExits: true });
    expect(earlyUnlock(['status'], { ...entry, words: ['status'], unlocksFirst: false }, { TOKENVAULT_HOME: dir })).toBeUndefined();
  });

  it('the launcher looks in the folder of --home, as the command will', () => {
    expect(homeOption(['--home', '/a', 'test', 'X'])).toBe('/a');
    expect(homeOption(['test', 'X', '--home=/b'])).toBe('/b');
    expect(homeOption(['exec', 'X', '--', 'cmd', '--home', '/c'])).toBeUndefined();
    expect(earlyUnlock(['test', 'X', '--home', dir], { words: ['test'], valueOptions: [], bundle: 'b', unlocksFirst: true }, { TOKENVAULT_HOME: '/nowhere' })?.home).toBe(dir);
  });
});

describe('OsKeyStore answers from a read started early only for the account asked for (issue 11)', () => {
  const key = Buffer.alloc(32, 7);
  const fakeKeytar = (over: Partial<KeytarApi> = {}): { api: KeytarApi; calls: string[] } => {
    const calls: string[] = [];
    const api: KeytarApi = {
      getPassword: async (_s, account) => {
        calls.push(`get ${account}`);
        return account === ID ? key.toString('base64') : null;
      },
      setPassword: async () => undefined,
      deletePassword: async () => true,
      findCredentials: async () => {
        calls.push('find');
        return [];
      },
      ...over,
    };
    return { api, calls };
  };
  const early = (entries: KeychainPrefetch['entries']): KeychainPrefetch => ({ hint: { vaultId: ID }, entries });

  it('the prefetched entry of the account: no second keychain call', async () => {
    const { api, calls } = fakeKeytar();
    const store = new OsKeyStore(early(Promise.resolve({ ok: true, list: [{ account: OTHER_ID, password: 'b3RoZXI=' }, { account: ID, password: key.toString('base64') }] })), async () => api);
    expect(await store.get(ID)).toEqual(key);
    expect(calls).toEqual([]);
  });

  it('a read that lacks the account (a stale hint) or failed: the keychain is asked as before, once', async () => {
    const stale = fakeKeytar();
    const s1 = new OsKeyStore(early(Promise.resolve({ ok: true, list: [{ account: OTHER_ID, password: 'b3RoZXI=' }] })), async () => stale.api);
    expect(await s1.get(ID)).toEqual(key);
    expect(stale.calls).toEqual([`get ${ID}`]);
    expect(await s1.get(ID)).toEqual(key);
    expect(stale.calls).toEqual([`get ${ID}`, `get ${ID}`]);

    const failed = fakeKeytar();
    const s2 = new OsKeyStore(early(Promise.resolve({ ok: false })), async () => failed.api);
    expect(await s2.get(ID)).toEqual(key);
    expect(failed.calls).toEqual([`get ${ID}`]);
  });

  it('a failed read and a keychain that is down: the same typed KEYCHAIN_UNAVAILABLE as without the read', async () => {
    const down = fakeKeytar({
      getPassword: async () => {
        throw new Error('no Secret Service on the session bus');
      },
    });
    const store = new OsKeyStore(early(Promise.resolve({ ok: false })), async () => down.api);
    const e = await store.get(ID).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(VaultError);
    expect((e as VaultError).code).toBe('KEYCHAIN_UNAVAILABLE');
  });
});

// Through the built CLI against the real Secret Service (npm test starts one), as cli.test.ts does.
const hasBus = Boolean(process.env.DBUS_SESSION_BUS_ADDRESS);
const SECRET = 'sk_test_hint_0123456789';

describe.skipIf(!hasBus)('tokenvault with the keychain hint (issue 11)', { timeout: 120_000 }, () => {
  let kHome = '';
  let pHome = '';
  const run = (home: string, args: string[], input = '', env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'utf8', env: { ...process.env, TOKENVAULT_HOME: home, TOKENVAULT_PASSPHRASE_FILE: '', TOKENVAULT_SESSION: '', ...env } });
  const hint = (home: string) => join(home, KEY_HINT_FILE);
  let vaultId = '';

  beforeAll(() => {
    execFileSync(process.execPath, [join(__dirname, '..', '..', 'scripts', 'build-node.mjs')], { cwd: join(__dirname, '..', '..') });
    kHome = tempHome();
    const init = run(kHome, ['init', '--json']);
    expect(init.status, init.stderr).toBe(0);
    vaultId = JSON.parse(init.stdout).vaultId;
    expect(run(kHome, ['workspace', 'add', 'K']).status).toBe(0);
    expect(run(kHome, ['env', 'add', 'K', 'sandbox', '--base-url', 'https://k.example.com']).status).toBe(0);
    expect(run(kHome, ['token', 'add', 'K/sandbox/t', '--kind', 'bearer'], SECRET).status).toBe(0);
    pHome = tempHome();
    writeFileSync(join(pHome, 'pass.txt'), 'a passphrase for the hint test\n', { mode: 0o600 });
  });
  afterAll(() => {
    for (const h of [kHome, pHome]) if (h) rmSync(h, { recursive: true, force: true });
  });

  const reveal = (home: string, env: Record<string, string> = {}) => {
    const r = run(home, ['token', 'reveal', 'K/sandbox/t'], '', env);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(SECRET);
    expect(r.stderr).not.toContain(SECRET);
  };

  it('the first reveal writes the hint (owner-only, the vault id, no secret); the next reveals use it', () => {
    rmSync(hint(kHome), { force: true });
    reveal(kHome);
    const text = readFileSync(hint(kHome), 'utf8');
    expect(JSON.parse(text)).toEqual({ v: 1, vaultId, keySource: 'keychain' });
    expect(text).not.toContain(SECRET);
    if (posix) expect(statSync(hint(kHome)).mode & 0o777).toBe(0o600);
    reveal(kHome);
    reveal(kHome);
  });

  it.each([
    ['corrupt', '{"v":1,"vaultId"', 0o600],
    ['stale (another vault)', JSON.stringify({ v: 1, vaultId: OTHER_ID, keySource: 'keychain' }), 0o600],
    ['readable by others', JSON.stringify({ v: 1, vaultId: OTHER_ID, keySource: 'keychain' }), 0o644],
  ])('a %s hint: the slow path unlocks, and the hint is made right again', (_, text, mode) => {
    rmSync(hint(kHome), { force: true });
    writeFileSync(hint(kHome), text, { mode });
    chmodSync(hint(kHome), mode);
    reveal(kHome);
    expect(readKeyHint(kHome)).toEqual({ vaultId });
  });

  it('a hint beside a passphrase vault costs one keychain read, unlocks with the passphrase, and is removed', () => {
    const env = { TOKENVAULT_PASSPHRASE_FILE: join(pHome, 'pass.txt') };
    expect(run(pHome, ['init', '--passphrase'], '', env).status).toBe(0);
    expect(run(pHome, ['workspace', 'add', 'K'], '', env).status).toBe(0);
    expect(run(pHome, ['env', 'add', 'K', 'sandbox', '--base-url', 'https://k.example.com'], '', env).status).toBe(0);
    expect(run(pHome, ['token', 'add', 'K/sandbox/t', '--kind', 'bearer'], SECRET, env).status).toBe(0);
    writeKeyHint(pHome, vaultId);
    reveal(pHome, env);
    expect(existsSync(hint(pHome))).toBe(false);
    reveal(pHome, env);
  });
});
