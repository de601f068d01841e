import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openTempVault, rawDb, type TempVault } from './test-support';

/**
 * "No token value appears in plaintext anywhere on disk": everything the user
 * typed is stored with distinctive values, then the raw bytes of every file in
 * the vault's home (vault.db, -wal, -shm, anything else) are searched for them.
 */

const TOKEN = 'sk_live_QuokkaTokenValue7f3a9c2e1b5d8f0a4c6e';
const REFRESH = 'refresh_WombatRefresh0a1b2c3d4e5f6a7b8c9d';
const API_KEY = 'rg_PlatypusApiKey9z8y7x6w5v4u3t2s1r0q';
const ROTATED = 'rg_EchidnaRotatedKey1234567890abcdefgh';

/** Typed by the user, so encrypted at rest; none of these strings may appear on disk. */
const TYPED = {
  workspaceName: 'Narwhal Holdings Intl',
  workspaceNotes: 'Invoices go to the axolotl-desk, ask for Gertrude',
  envName: 'Capybara Staging',
  baseUrl: 'https://capybara-staging.pangolin-api.example/v2',
  host: 'pangolin-api.example',
  credName: 'Ocelot Deploy Bot',
  description: 'Used by the marmoset pipeline for nightly releases',
  headerName: 'X-Tarsier-Key',
  role: 'Chinchilla Administrator',
  scope: 'write:flamingo_orders',
  tag: 'kinkajou-team',
  remoteId: 'remote-id-lemur-4242',
  tokenType: 'gecko-access',
  renamed: 'Meerkat Renamed Token',
  passphrase: 'Saola passphrase never on disk 19',
};

const SECRETS = [TOKEN, REFRESH, API_KEY, ROTATED];

interface Finding {
  file: string;
  what: string;
  encoding: string;
}

function homeFiles(home: string): string[] {
  return readdirSync(home)
    .map((f) => join(home, f))
    .filter((f) => statSync(f).isFile());
}

/** Every needle in every encoding a careless implementation could have used. */
function scan(home: string, needles: Record<string, string>, opts: { secrets: readonly string[] }): Finding[] {
  const found: Finding[] = [];
  for (const file of homeFiles(home)) {
    const bytes = readFileSync(file);
    for (const [what, value] of Object.entries(needles)) {
      const forms: [string, Buffer][] = [
        ['utf8', Buffer.from(value, 'utf8')],
        ['utf16le', Buffer.from(value, 'utf16le')],
        ['lowercase utf8', Buffer.from(value.toLowerCase(), 'utf8')],
      ];
      if (opts.secrets.includes(value)) {
        forms.push(['base64', Buffer.from(Buffer.from(value).toString('base64'))]);
        forms.push(['base64url', Buffer.from(Buffer.from(value).toString('base64url'))]);
        forms.push(['hex', Buffer.from(Buffer.from(value).toString('hex'))]);
      }
      for (const [encoding, needle] of forms) if (bytes.includes(needle)) found.push({ file, what, encoding });
    }
  }
  return found;
}

function fileBytes(home: string, name: string): Buffer {
  const f = join(home, name);
  return existsSync(f) ? readFileSync(f) : Buffer.alloc(0);
}

let t: TempVault;
afterEach(() => t?.cleanup());

async function fillVault(keySource: 'keychain' | 'passphrase') {
  t = openTempVault();
  await t.vault.init(keySource === 'passphrase' ? { keySource, passphrase: TYPED.passphrase } : { keySource });
  const v = t.vault;
  // No provider: a provider's model would refuse some of the grant fields (a role where it decides by scope), and every field must be written.
  const ws = v.addWorkspace({ name: TYPED.workspaceName, notes: TYPED.workspaceNotes });
  const env = v.addEnvironment({ workspaceId: ws.id, name: TYPED.envName, baseUrl: TYPED.baseUrl });
  const bearer = v.addCredential({
    environmentId: env.id,
    name: TYPED.credName,
    description: TYPED.description,
    kind: 'jwt_session',
    role: TYPED.role,
    tokenType: TYPED.tokenType,
    scopes: [TYPED.scope],
    tags: [TYPED.tag],
    remoteId: TYPED.remoteId,
    secret: { value: TOKEN, refreshToken: REFRESH },
  });
  const key = v.addCredential({ environmentId: env.id, name: 'second', kind: 'api_key', headerName: TYPED.headerName, secret: { value: API_KEY } });
  // Reads, updates and rotations write too (audit events, re-sealed metadata).
  expect(v.revealCredential(bearer.id)).toEqual({ value: TOKEN, refreshToken: REFRESH });
  v.updateCredential(key.id, { name: TYPED.renamed });
  v.replaceSecret(key.id, { value: ROTATED });
  v.recordTest(bearer.id, 'ok', { method: 'GET', path: '/users', status: 200, explanation: '200 from Test', totalMs: 1, rateLimitRemaining: null });
  v.flush();
  return { ws, env, bearer, key };
}

describe('data at rest', () => {
  it.each(['keychain', 'passphrase'] as const)(
    'no typed value or secret is on disk in the %s vault: not in the WAL before a checkpoint, not in the database after, nor after close',
    async (keySource) => {
      const { bearer } = await fillVault(keySource);
      const needles = { ...TYPED, TOKEN, REFRESH, API_KEY, ROTATED };
      const home = t.home;

      // Before any checkpoint the writes sit in the WAL: prove the scan looks where the data is.
      const wal = fileBytes(home, 'vault.db-wal');
      expect(wal.length).toBeGreaterThan(0);
      expect(wal.includes(Buffer.from(bearer.id))).toBe(true);
      expect(existsSync(join(home, 'vault.db-shm'))).toBe(true);
      expect(scan(home, needles, { secrets: SECRETS })).toEqual([]);

      // Checkpoint through another connection: the pages move into vault.db.
      const raw = rawDb(home);
      raw.pragma('wal_checkpoint(TRUNCATE)');
      raw.close();
      expect(fileBytes(home, 'vault.db').includes(Buffer.from(bearer.id))).toBe(true);
      expect(scan(home, needles, { secrets: SECRETS })).toEqual([]);

      // Close (the last connection checkpoints and removes the WAL), then look again.
      t.vault.close();
      expect(fileBytes(home, 'vault.db').includes(Buffer.from(bearer.id))).toBe(true);
      expect(scan(home, needles, { secrets: SECRETS })).toEqual([]);

      // And the data is all still there, for whoever has the key.
      const v2 = t.reopen();
      await v2.unlock(keySource === 'passphrase' ? { passphrase: TYPED.passphrase } : {});
      expect(v2.getCredential(bearer.id)).toMatchObject({ name: TYPED.credName, description: TYPED.description, scopes: [TYPED.scope] });
      expect(v2.revealCredential(bearer.id).value).toBe(TOKEN);
    },
  );

  it('the vault key from the keychain never reaches the database files', async () => {
    await fillVault('keychain');
    const [stored] = [...t.keyStore.entries.values()];
    expect(stored).toBeDefined();
    const vaultKey = Buffer.from(stored!, 'base64');
    expect(vaultKey.length).toBe(32);
    const check = () => {
      for (const file of homeFiles(t.home)) {
        const bytes = readFileSync(file);
        expect(bytes.includes(vaultKey), `raw vault key in ${file}`).toBe(false);
        expect(bytes.includes(Buffer.from(stored!)), `base64 vault key in ${file}`).toBe(false);
        expect(bytes.includes(Buffer.from(vaultKey.toString('hex'))), `hex vault key in ${file}`).toBe(false);
      }
    };
    check();
    t.vault.close();
    check();
  });

  it('control: the scan does find a value that is stored in plaintext', async () => {
    await fillVault('keychain');
    const raw = rawDb(t.home);
    raw.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run('canary', JSON.stringify(`${TYPED.host} ${TOKEN}`));
    raw.close();
    const found = scan(t.home, { host: TYPED.host, TOKEN }, { secrets: SECRETS });
    expect(found.map((f) => [f.what, f.encoding])).toEqual(expect.arrayContaining([['host', 'utf8'], ['TOKEN', 'utf8']]));
  });

  it('a removed workspace leaves no plaintext behind either', async () => {
    const { ws } = await fillVault('keychain');
    t.vault.removeWorkspace(ws.id);
    t.vault.close();
    expect(scan(t.home, { ...TYPED, TOKEN, REFRESH, API_KEY, ROTATED }, { secrets: SECRETS })).toEqual([]);
  });
});
