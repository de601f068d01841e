import type Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VaultError } from '../../src-shared/errors';
import { isCorrupt, type CredentialSummary, type Environment, type Workspace } from '../../src-shared/domain/types';
import { dropWriteGuards, openTempVault, rawDb, vaultError, type TempVault } from './test-support';
import type { Vault } from './vault';

/**
 * "Tampering is always detected": the database is edited behind the vault's
 * back through a second connection, as a damaged disk or an attacker with the
 * file would, and the vault must fail closed with CORRUPT naming the record.
 */

const A_VALUE = 'rg_alpha_secret_value_0123456789abcdef';
const B_VALUE = 'rg_bravo_secret_value_fedcba9876543210';

let t: TempVault;
let v: Vault;
let raw: Database.Database;
let ws: Workspace;
let env: Environment;
let a: CredentialSummary;
let b: CredentialSummary;

beforeEach(async () => {
  t = openTempVault();
  await t.vault.init({ keySource: 'keychain' });
  v = t.vault;
  ws = v.addWorkspace({ name: 'Acme' });
  env = v.addEnvironment({ workspaceId: ws.id, name: 'prod', baseUrl: 'https://api.example.com' });
  a = v.addCredential({ environmentId: env.id, name: 'alpha', kind: 'bearer', secret: { value: A_VALUE } });
  b = v.addCredential({ environmentId: env.id, name: 'bravo', kind: 'jwt_session', secret: { value: B_VALUE, refreshToken: 'refresh_bravo_123456' } });
  raw = rawDb(t.home);
  // These tests prove the cipher refuses a moved or damaged box: the schema's guards would refuse the write first.
  dropWriteGuards(raw);
});
afterEach(() => {
  raw.close();
  t.cleanup();
});

type Table = 'workspaces' | 'environments' | 'credentials';

function getBlob(table: Table, id: string, column: 'meta' | 'secret'): Buffer {
  return (raw.prepare(`SELECT ${column} AS b FROM ${table} WHERE id = ?`).get(id) as { b: Buffer }).b;
}
function setBlob(table: Table, id: string, column: 'meta' | 'secret', value: Buffer): void {
  expect(raw.prepare(`UPDATE ${table} SET ${column} = ? WHERE id = ?`).run(value, id).changes).toBe(1);
}
function flip(box: Buffer, pos: number, mask = 0x01): Buffer {
  const out = Buffer.from(box);
  out[pos]! ^= mask;
  return out;
}

/** The call fails as CORRUPT naming this record, and its message never carries a secret. */
function expectCorrupt(fn: () => unknown, table: Table, id: string, column: 'meta' | 'secret') {
  const e = vaultError(fn);
  expect(e.code).toBe('CORRUPT');
  expect(e.details).toEqual({ table, id, column });
  expect(e.message).toContain(id);
  for (const s of [A_VALUE, B_VALUE]) expect(e.message).not.toContain(s);
}

/** Byte positions inside a box: version, nonce, ciphertext body, tag. */
const REGIONS = [
  ['version byte', (_len: number) => 0],
  ['first nonce byte', (_len: number) => 1],
  ['last nonce byte', (_len: number) => 12],
  ['first ciphertext byte', (_len: number) => 13],
  ['middle of the ciphertext', (len: number) => 13 + Math.floor((len - 29) / 2)],
  ['first tag byte', (len: number) => len - 16],
  ['last tag byte', (len: number) => len - 1],
] as const;

describe('tampered secrets', () => {
  it.each(REGIONS)('a flipped %s of a secret fails reveal as CORRUPT; other records still read', (_what, at) => {
    const original = getBlob('credentials', a.id, 'secret');
    setBlob('credentials', a.id, 'secret', flip(original, at(original.length)));
    expectCorrupt(() => v.revealCredential(a.id), 'credentials', a.id, 'secret');
    expectCorrupt(() => v.secretForRequest(a.id), 'credentials', a.id, 'secret');
    // Metadata is separate: the token still lists, and its neighbour still reveals.
    expect(v.getCredential(a.id).name).toBe('alpha');
    expect(v.revealCredential(b.id).value).toBe(B_VALUE);
    // Control: the original bytes open again, so the flip was the cause.
    setBlob('credentials', a.id, 'secret', original);
    expect(v.revealCredential(a.id).value).toBe(A_VALUE);
  });

  it('a secret copied into another credential row fails as CORRUPT (the id is bound in)', () => {
    setBlob('credentials', b.id, 'secret', getBlob('credentials', a.id, 'secret'));
    expectCorrupt(() => v.revealCredential(b.id), 'credentials', b.id, 'secret');
    expect(v.revealCredential(a.id).value).toBe(A_VALUE);
  });

  it('meta copied into the secret column fails as CORRUPT (the column is bound in)', () => {
    setBlob('credentials', a.id, 'secret', getBlob('credentials', a.id, 'meta'));
    expectCorrupt(() => v.revealCredential(a.id), 'credentials', a.id, 'secret');
  });

  it('a secret copied into the meta column fails as CORRUPT', () => {
    setBlob('credentials', a.id, 'meta', getBlob('credentials', a.id, 'secret'));
    expectCorrupt(() => v.getCredential(a.id), 'credentials', a.id, 'meta');
  });

  it('property: any single flipped byte anywhere in a stored secret fails as CORRUPT, never plaintext', () => {
    const original = getBlob('credentials', b.id, 'secret');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: original.length - 1 }), fc.integer({ min: 1, max: 255 }), (pos, mask) => {
        setBlob('credentials', b.id, 'secret', flip(original, pos, mask));
        try {
          const out = v.revealCredential(b.id);
          throw new Error(`byte ${pos} ^ ${mask} still revealed ${JSON.stringify(out).length} characters`);
        } catch (e) {
          if (!(e instanceof VaultError)) throw e;
          expect(e.code).toBe('CORRUPT');
          expect(e.details?.id).toBe(b.id);
        } finally {
          setBlob('credentials', b.id, 'secret', original);
        }
      }),
      { numRuns: 150 },
    );
    expect(v.revealCredential(b.id).value).toBe(B_VALUE);
  });
});

describe('tampered metadata', () => {
  it.each(REGIONS)('a flipped %s of credential meta: get fails as CORRUPT, list reports it instead of dropping it', (_what, at) => {
    const original = getBlob('credentials', a.id, 'meta');
    setBlob('credentials', a.id, 'meta', flip(original, at(original.length)));
    expectCorrupt(() => v.getCredential(a.id), 'credentials', a.id, 'meta');
    expectCorrupt(() => v.resolveCredential({ workspace: 'Acme', environment: 'prod', name: 'alpha' }), 'credentials', a.id, 'meta');
    expectCorrupt(() => v.updateCredential(a.id, { description: 'x' }), 'credentials', a.id, 'meta');
    for (const list of [v.listCredentials(), v.listCredentials({ environmentId: env.id }), v.listCredentials({ workspaceId: ws.id })]) {
      expect(list).toHaveLength(2);
      expect(list).toContainEqual({ corrupt: true, table: 'credentials', id: a.id });
      const good = list.filter((c) => !isCorrupt(c)) as CredentialSummary[];
      expect(good).toEqual([v.getCredential(b.id)]);
    }
    setBlob('credentials', a.id, 'meta', original);
    expect(v.getCredential(a.id)).toEqual(a);
  });

  it('credential meta copied into another credential row fails as CORRUPT', () => {
    setBlob('credentials', b.id, 'meta', getBlob('credentials', a.id, 'meta'));
    expectCorrupt(() => v.getCredential(b.id), 'credentials', b.id, 'meta');
    const list = v.listCredentials();
    expect(list).toContainEqual({ corrupt: true, table: 'credentials', id: b.id });
    // Never shown as a second "alpha".
    expect(list.filter((c) => !isCorrupt(c)).map((c) => (c as CredentialSummary).id)).toEqual([a.id]);
  });

  it('workspace meta: flipped or moved, get fails as CORRUPT and the list reports it', () => {
    const other = v.addWorkspace({ name: 'Other' });
    const original = getBlob('workspaces', ws.id, 'meta');
    setBlob('workspaces', ws.id, 'meta', flip(original, original.length - 3));
    expectCorrupt(() => v.getWorkspace(ws.id), 'workspaces', ws.id, 'meta');
    expect(v.listWorkspaces()).toEqual([{ corrupt: true, table: 'workspaces', id: ws.id }, v.getWorkspace(other.id)]);
    setBlob('workspaces', ws.id, 'meta', getBlob('workspaces', other.id, 'meta'));
    expectCorrupt(() => v.getWorkspace(ws.id), 'workspaces', ws.id, 'meta');
    // Search skips what it cannot read, but keeps working.
    expect(v.search('other').map((h) => h.id)).toEqual([other.id]);
  });

  it('environment meta: flipped, get fails as CORRUPT and the list reports it', () => {
    const sandbox = v.addEnvironment({ workspaceId: ws.id, name: 'sandbox', baseUrl: 'https://sandbox.example.com' });
    const original = getBlob('environments', env.id, 'meta');
    setBlob('environments', env.id, 'meta', flip(original, 5));
    expectCorrupt(() => v.getEnvironment(env.id), 'environments', env.id, 'meta');
    // Nothing is added under an environment that cannot be read.
    expectCorrupt(() => v.addCredential({ environmentId: env.id, name: 'new', kind: 'bearer', secret: { value: 'abcdefghijklmn' } }), 'environments', env.id, 'meta');
    expect(v.listCredentials()).toHaveLength(2);
    expect(v.listEnvironments(ws.id)).toEqual([{ corrupt: true, table: 'environments', id: env.id }, v.getEnvironment(sandbox.id)]);
    // Environment meta moved into a workspace row does not open there either.
    setBlob('workspaces', ws.id, 'meta', original);
    expectCorrupt(() => v.getWorkspace(ws.id), 'workspaces', ws.id, 'meta');
  });

  it('property: any single flipped byte anywhere in credential meta is reported, never misread', () => {
    const original = getBlob('credentials', a.id, 'meta');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: original.length - 1 }), fc.integer({ min: 1, max: 255 }), (pos, mask) => {
        setBlob('credentials', a.id, 'meta', flip(original, pos, mask));
        try {
          expect(v.listCredentials({ environmentId: env.id })).toContainEqual({ corrupt: true, table: 'credentials', id: a.id });
          expectCorrupt(() => v.getCredential(a.id), 'credentials', a.id, 'meta');
        } finally {
          setBlob('credentials', a.id, 'meta', original);
        }
      }),
      { numRuns: 100 },
    );
  });
});
