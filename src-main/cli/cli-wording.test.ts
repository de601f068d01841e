import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VaultError } from '../../src-shared/errors';
import { keychainUnavailable } from '../vault/keychain';
import { backupCommands } from './commands/backup-commands';
import { sessionCommands } from './commands/session-commands';
import { vaultCommands } from './commands/vault-commands';
import { forceHint, passphraseHint } from './run';
import { inCommandTerms } from './flag-hints';
import { importCommands } from './commands/import-commands';
import { requestCommands } from './commands/request-commands';
import { tokenCommands } from './commands/token-commands';
import { usePassphraseCli } from './test-cli';

// Findings of a new-user trial: errors and dates in the words the user typed and reads.
const cli = usePassphraseCli({ vaultDir: 'vault' });
const { tv } = cli;

/** Internal field names a user never typed. */
const INTERNAL = /secret\.value|secret\.refreshToken|headerName|baseUrl|providerId|rotationDays|expiresAfter|\btags\.\d/;

describe('validation errors name the flags the user typed', { timeout: 300_000 }, () => {
  it('token add, token edit, env add and workspace add: each problem under its flag, argument or standard input; codes and exit codes unchanged', () => {
    expect(tv(['init', '--passphrase']).code).toBe(0);
    expect(tv(['workspace', 'add', 'Plain']).code).toBe(0);
    expect(tv(['env', 'add', 'Plain', 'dev', '--base-url', 'https://api.example.com']).code).toBe(0);

    const cases: { args: string[]; input?: string; says: RegExp; path: string; field: string }[] = [
      { args: ['token', 'add', 'Plain/dev/k', '--kind', 'api_key'], input: 'key_0123456789abcdef\n', says: /^--header is required for an API key/, path: '--header', field: 'headerName' },
      { args: ['token', 'add', 'Plain/dev/k', '--kind', 'api_key', '--header', 'bad header'], input: 'key_0123456789abcdef\n', says: /^--header must be a valid HTTP header name/, path: '--header', field: 'headerName' },
      { args: ['token', 'add', 'Plain/dev/k', '--kind', 'bearer'], input: '', says: /the token value \(standard input\) must not be empty/, path: 'the token value (standard input)', field: 'secret.value' },
      { args: ['token', 'add', 'Plain/dev/k', '--kind', 'bogus'], input: 'x\n', says: /^--kind must be one of bearer, api_key, jwt_session$/, path: '--kind', field: 'kind' },
      { args: ['token', 'add', 'Plain/dev/k', '--kind', 'bearer', '--tag', ''], input: 'tok_0123456789abcdef\n', says: /^--tag must not be empty/, path: '--tag', field: 'tags.0' },
      { args: ['env', 'add', 'Plain', 'ftp', '--base-url', 'ftp://files.example.com'], says: /^--base-url must start with https:\/\//, path: '--base-url', field: 'baseUrl' },
      { args: ['env', 'add', 'Plain', ' ', '--base-url', 'https://api.example.com'], says: /^NAME must not be empty/, path: 'NAME', field: 'name' },
      { args: ['workspace', 'add', 'Coloured', '--color', 'red'], says: /^--color must be a colour/, path: '--color', field: 'color' },
      { args: ['workspace', 'add', ''], says: /^NAME must not be empty/, path: 'NAME', field: 'name' },
    ];
    for (const c of cases) {
      const r = tv([...c.args, '--json'], c.input ?? '');
      expect(r.code, `${c.args.join(' ')}: ${r.stderr}`).toBe(2);
      const error = r.json().error;
      expect(error.code).toBe('VALIDATION');
      expect(error.message, c.args.join(' ')).toMatch(c.says);
      expect(error.message).not.toMatch(INTERNAL);
      expect(error.issues[0]).toMatchObject({ path: c.path, field: c.field });
      expect(r.stderr).toBe(`tokenvault: ${error.message}\n`);
    }

    expect(tv(['token', 'add', 'Plain/dev/key', '--kind', 'api_key', '--header', 'X-Key'], 'key_0123456789abcdef\n').code).toBe(0);
    const edit = tv(['token', 'edit', 'Plain/dev/key', '--header', 'bad header', '--json']);
    expect(edit.code).toBe(2);
    expect(edit.json().error.message).toMatch(/^--header must be a valid HTTP header name/);
    const rename = tv(['workspace', 'rename', 'Plain', ' ', '--json']);
    expect(rename.code).toBe(2);
    expect(rename.json().error.message).toMatch(/^NEW_NAME must not be empty/);

    // A path a command already gives in its own words (unlock's `for`) reads as its flag.
    const unlock = tv(['unlock', '--for', '20h', '--json']);
    expect(unlock.code).toBe(2);
    expect(unlock.json().error.issues[0]).toMatchObject({ path: '--for' });
  });

  it('an API key in a workspace whose provider documents its header goes in that header unless --header says otherwise', () => {
    expect(tv(['workspace', 'add', 'Regen', '--provider', 'regen-therapy']).code).toBe(0);
    const plain = tv(['token', 'add', 'Regen/Production/orders', '--kind', 'api_key', '--json'], 'rg_live_0123456789abcdef\n');
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.json()).toMatchObject({ kind: 'api_key', headerName: 'X-API-Key' });
    const own = tv(['token', 'add', 'Regen/Production/other', '--kind', 'api_key', '--header', 'X-Other-Key', '--json'], 'rg_live_fedcba9876543210\n');
    expect(own.json()).toMatchObject({ headerName: 'X-Other-Key' });
    // A bearer token gets no header; a provider that documents none still needs --header (first test).
    expect(tv(['token', 'add', 'Regen/Production/session', '--kind', 'bearer', '--json'], 'tok_0123456789abcdef\n').json()).toMatchObject({ headerName: null });
  });
});

describe('inCommandTerms', () => {
  it('maps only the fields a command sets; a path into a file it reads stays as it is', () => {
    const add = tokenCommands.find((c) => c.words.join(' ') === 'token add')!;
    const e = new VaultError('VALIDATION', '2 problems: scopes.1 must not be empty; secret.value must not be empty', {
      issues: [
        { path: 'scopes.1', message: 'must not be empty' },
        { path: 'secret.value', message: 'must not be empty' },
      ],
    });
    const mapped = inCommandTerms(e, add) as VaultError;
    expect(mapped.code).toBe('VALIDATION');
    expect(mapped.message).toBe('2 problems: --scopes must not be empty; the token value (standard input) must not be empty');
    const imp = importCommands.find((c) => c.words.join(' ') === 'import')!;
    const fromFile = new VaultError('VALIDATION', 'env.production must be a boolean', { issues: [{ path: 'env.production', message: 'must be a boolean' }] });
    expect(inCommandTerms(fromFile, imp)).toBe(fromFile);
  });
});

describe('import names a .env name set twice', { timeout: 120_000 }, () => {
  it('in the preview and, with --yes, on standard error; the last value is imported', () => {
    const file = join(cli.root, 'dup.env');
    writeFileSync(file, 'API_BASE_URL=https://api.acme.example.com\nGITHUB_TOKEN=ghp_first000000000000000000000000\nGITHUB_TOKEN=ghp_second00000000000000000000000\n');
    const dry = tv(['import', file, '--workspace', 'Dup', '--env', 'local', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/Warnings \(1\):[\s\S]*lines 2 and 3 +GITHUB_TOKEN is set twice: the value on line 3 is imported \(the last one, as dotenv reads a file\); line 2 is ignored/);
    const done = tv(['import', file, '--workspace', 'Dup', '--env', 'local', '--yes']);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stderr).toContain('WARNING: lines 2 and 3: GITHUB_TOKEN is set twice');
    expect(tv(['token', 'reveal', 'Dup/local/GITHUB_TOKEN']).stdout.trim()).toBe('ghp_second00000000000000000000000');
  });
});

describe('dates say their zone, and follow the Settings time zone', { timeout: 120_000 }, () => {
  it('unlock names the zone of its expiry: TZ without a setting, the Settings zone with one', () => {
    const la = tv(['unlock', '--for', '15m'], '', { env: { TZ: 'America/Los_Angeles', LANG: 'en_GB.UTF-8' } });
    expect(la.code, la.stderr).toBe(0);
    expect(la.stderr).toMatch(/# Unlocked until .*\b(PST|PDT|GMT-[78])\b.*; end it with: tokenvault lock/);

    const db = new Database(join(cli.home, 'vault.db'));
    db.prepare("INSERT INTO settings (key, value) VALUES ('timeZone', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(JSON.stringify('Asia/Tokyo'));
    db.close();
    const tokyo = tv(['unlock', '--for', '15m', '--json'], '', { env: { TZ: 'America/Los_Angeles', LANG: 'en_GB.UTF-8' } });
    expect(tokyo.stderr).toBe('');
    // --json as before: the instant as a number.
    expect(typeof tokyo.json().expiresAt).toBe('number');
    const human = tv(['unlock', '--for', '15m'], '', { env: { TZ: 'America/Los_Angeles', LANG: 'en_GB.UTF-8' } });
    expect(human.stderr).toMatch(/# Unlocked until .*\b(JST|GMT\+9)\b/);
    const show = tv(['token', 'show', 'Regen/Production/orders'], '', { env: { TZ: 'America/Los_Angeles', LANG: 'en_GB.UTF-8' } });
    expect(show.stdout).toMatch(/Created\s+.*\b(JST|GMT\+9)\b/);
  });
});

describe('a hint names the command that was run', () => {
  it('a restore without a keychain suggests restore --passphrase, an init init --passphrase; nothing else is offered a passphrase it cannot take', () => {
    const error = keychainUnavailable(new Error('AccessDenied'));
    expect(error.message).not.toMatch(/tokenvault/);
    const restore = backupCommands.find((c) => c.words.join(' ') === 'restore')!;
    const hinted = passphraseHint(error, restore, ['restore', 'my backup.age', '--json']) as VaultError;
    expect(hinted.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(hinted.message).toMatch(/tokenvault restore 'my backup\.age' --passphrase$/);
    expect(hinted.message).not.toMatch(/init/);
    const init = vaultCommands.find((c) => c.words.join(' ') === 'init')!;
    expect((passphraseHint(error, init, ['init']) as VaultError).message).toMatch(/tokenvault init --passphrase$/);
    // Already with --passphrase, or a command without one: as it was.
    expect(passphraseHint(error, init, ['init', '--passphrase'])).toBe(error);
    const unlock = sessionCommands.find((c) => c.words.join(' ') === 'unlock')!;
    expect(passphraseHint(error, unlock, ['unlock'])).toBe(error);
  });

  it('a rate-limit hold names --force only where the command has it (the app says "Test anyway" itself)', () => {
    const held = new VaultError('RATE_LIMITED', 'Held back: Coolset answered 429 and asked to wait (Retry-After) until 2026-12-01T10:00:00.000Z — 30 s left. Nothing was sent.', { details: { retryAfterMs: 30_000 } });
    const test = requestCommands.find((c) => c.words.join(' ') === 'test')!;
    const hinted = forceHint(held, test) as VaultError;
    expect(hinted.message).toMatch(/Nothing was sent\. Send anyway with --force \(audited\)\.$/);
    expect(hinted.details).toEqual({ retryAfterMs: 30_000 });
    const reveal = tokenCommands.find((c) => c.words.join(' ') === 'token reveal')!;
    expect(forceHint(held, reveal)).toBe(held);
  });

  it('init without a reachable keychain ends with the line to run instead', () => {
    const r = tv(['init', '--json'], '', { home: join(cli.root, 'no-keychain'), env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' } });
    expect(r.code).toBe(1);
    expect(r.json().error.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(r.json().error.message).toMatch(/tokenvault init --passphrase$/);
  });
});
