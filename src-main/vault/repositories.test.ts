import { afterEach, describe, expect, it } from 'vitest';
import { CredentialInput, EnvironmentInput, SecretInput, SETTINGS_DEFAULTS, WorkspaceInput } from '../../src-shared/domain/schemas';
import type { CredentialSummary, Environment, Workspace } from '../../src-shared/domain/types';
import { openJson, sealJson } from './cipher';
import { CredentialRepository } from './credential-repo';
import { DueStore } from './due-store';
import { EnvironmentRepository } from './environment-repo';
import { LineageRepository } from './lineage-repo';
import { openParts, type Parts } from './parts-support';
import { ProbeReportRepository } from './probe-report-repo';
import { SearchIndex } from './search-index';
import { SecretIndex } from './secret-index';
import { SecretRepository, sealSecretValue } from './secret-repo';
import { SettingsRepository } from './settings-repo';
import { insertHistoryRow, TestHistoryRepository } from './test-history-repo';
import { dropWriteGuards, vaultError } from './test-support';
import { WorkspaceRepository } from './workspace-repo';

/**
 * Each repository on its own, without the Vault: its statements, its sealing
 * (the AAD of every sealed column is pinned: changing one would make every
 * existing vault unreadable), its errors, and that it writes only inside its
 * caller's transaction.
 */
let p: Parts;
afterEach(() => p?.cleanup());

function repos() {
  p = openParts();
  const workspaces = new WorkspaceRepository(p.ctx, new DueStore(p.db));
  const environments = new EnvironmentRepository(p.ctx, workspaces);
  const index = new SecretIndex(p.db, () => p.keys.index);
  const credentials = new CredentialRepository(p.ctx, workspaces, environments, (id, s) => sealSecretValue(p.ctx, index, id, s));
  const secrets = new SecretRepository(p.ctx, index, credentials);
  const lineage = new LineageRepository(p.ctx, credentials);
  return { workspaces, environments, credentials, secrets, lineage, index };
}

function seed(r: ReturnType<typeof repos>, names: string[] = ['deploy']): { ws: Workspace; env: Environment; creds: CredentialSummary[] } {
  const wsId = p.insideCallerTx(() => r.workspaces.insert(WorkspaceInput.parse({ name: 'Acme' })));
  const ws = r.workspaces.get(wsId);
  const envId = p.insideCallerTx(() => r.environments.insert(ws, EnvironmentInput.parse({ workspaceId: wsId, name: 'production', baseUrl: 'https://api.acme.test' })));
  const env = r.environments.get(envId);
  const parsed = names.map((name, i) => CredentialInput.parse({ environmentId: envId, name, kind: 'bearer', secret: { value: `tok_${name}_${i}_abcdefgh` } }));
  const ids = p.insideCallerTx(() => r.credentials.insert(parsed, 'created'));
  return { ws, env, creds: ids.map((id) => r.credentials.get(id)) };
}

describe('WorkspaceRepository', () => {
  it('inserts sealed under workspaces/<id>/meta, finds by name case-blind, audits created', () => {
    const r = repos();
    const id = p.insideCallerTx(() => r.workspaces.insert(WorkspaceInput.parse({ name: 'Client A', notes: 'n' })));
    const row = p.db.prepare('SELECT meta, meta_gen FROM workspaces WHERE id = ?').get(id) as { meta: Buffer; meta_gen: number };
    expect(row.meta_gen).toBeGreaterThan(0);
    expect(openJson(p.keys.enc, row.meta, { table: 'workspaces', id, column: 'meta', gen: row.meta_gen })).toEqual({ name: 'Client A', providerId: null, color: null, notes: 'n' });
    // Issue 15: the write generation is part of the additional data; without it (v1) the box does not open.
    expect(vaultError(() => openJson(p.keys.enc, row.meta, { table: 'workspaces', id, column: 'meta' })).code).toBe('CORRUPT');
    expect(row.meta.includes(Buffer.from('Client A'))).toBe(false);
    expect(r.workspaces.find('  client a ').id).toBe(id);
    expect(r.workspaces.find(id).name).toBe('Client A');
    expect(p.auditTypes()).toEqual(['created']);
    expect(vaultError(() => r.workspaces.find('nobody')).code).toBe('NOT_FOUND');
  });

  it('a taken name is CONFLICT, a stale edit is CONFLICT, and neither writes', () => {
    const r = repos();
    const id = p.insideCallerTx(() => r.workspaces.insert(WorkspaceInput.parse({ name: 'Acme' })));
    expect(vaultError(() => p.insideCallerTx(() => r.workspaces.insert(WorkspaceInput.parse({ name: 'ACME' })))).code).toBe('CONFLICT');
    const before = r.workspaces.get(id);
    expect(vaultError(() => p.insideCallerTx(() => r.workspaces.update(id, { name: 'Other', expectedUpdatedAt: before.updatedAt - 1 }))).code).toBe('CONFLICT');
    expect(r.workspaces.get(id)).toEqual(before);
    expect(p.auditTypes()).toEqual(['created']);
  });

  it('a record moved to another id fails to authenticate and is listed as corrupt, not dropped', () => {
    const r = repos();
    const a = p.insideCallerTx(() => r.workspaces.insert(WorkspaceInput.parse({ name: 'A' })));
    const b = p.insideCallerTx(() => r.workspaces.insert(WorkspaceInput.parse({ name: 'B' })));
    dropWriteGuards(p.db); // the move under test; the schema's guards would refuse it
    p.db.prepare('UPDATE workspaces SET meta = (SELECT meta FROM workspaces WHERE id = ?) WHERE id = ?').run(a, b);
    expect(r.workspaces.list()).toEqual([{ corrupt: true, table: 'workspaces', id: b }, expect.objectContaining({ id: a, name: 'A' })]);
    expect(vaultError(() => r.workspaces.get(b)).code).toBe('CORRUPT');
  });
});

describe('EnvironmentRepository', () => {
  it('seals under environments/<id>/meta; names are unique per workspace only', () => {
    const r = repos();
    const { ws, env } = seed(r, []);
    const row = p.db.prepare('SELECT meta, meta_gen FROM environments WHERE id = ?').get(env.id) as { meta: Buffer; meta_gen: number };
    expect(openJson(p.keys.enc, row.meta, { table: 'environments', id: env.id, column: 'meta', gen: row.meta_gen })).toEqual({ name: 'production', baseUrl: 'https://api.acme.test' });
    expect(vaultError(() => openJson(p.keys.enc, row.meta, { table: 'environments', id: env.id, column: 'meta', gen: row.meta_gen + 1 })).code).toBe('CORRUPT');
    expect(r.environments.find(ws.id, 'PRODUCTION').id).toBe(env.id);
    const dup = EnvironmentInput.parse({ workspaceId: ws.id, name: 'Production', baseUrl: 'https://x.test' });
    expect(vaultError(() => p.insideCallerTx(() => r.environments.insert(ws, dup))).message).toBe('An environment in Acme named "Production" already exists.');
    const otherId = p.insideCallerTx(() => r.workspaces.insert(WorkspaceInput.parse({ name: 'Beta' })));
    p.insideCallerTx(() => r.environments.insert(r.workspaces.get(otherId), { ...dup, workspaceId: otherId }));
    expect(r.environments.listAll()).toHaveLength(2);
    expect(r.workspaces.usage(ws.id)).toEqual({ environments: 1, credentials: 0 });
  });
});

describe('CredentialRepository and SecretRepository', () => {
  it('keeps the value sealed under credentials/<id>/secret and the record under credentials/<id>/meta', () => {
    const r = repos();
    const { creds } = seed(r);
    const c = creds[0]!;
    const row = p.db.prepare('SELECT meta, meta_gen, secret, secret_gen FROM credentials WHERE id = ?').get(c.id) as { meta: Buffer; meta_gen: number; secret: Buffer; secret_gen: number };
    expect(openJson(p.keys.enc, row.secret, { table: 'credentials', id: c.id, column: 'secret', gen: row.secret_gen })).toEqual({ value: 'tok_deploy_0_abcdefgh' });
    expect(openJson<{ name: string }>(p.keys.enc, row.meta, { table: 'credentials', id: c.id, column: 'meta', gen: row.meta_gen }).name).toBe('deploy');
    expect(row.meta_gen).not.toBe(row.secret_gen);
    expect(r.secrets.read(c.id)).toEqual({ value: 'tok_deploy_0_abcdefgh' });
    expect(r.index.missing()).toEqual([]);
    expect(r.secrets.idsWithValue()).toEqual([c.id]);
  });

  it('rotation replaces the value and restarts the period; revoke with wipe leaves no value', () => {
    const r = repos();
    const { creds } = seed(r);
    const c = creds[0]!;
    p.clock.t += 1000;
    const s = SecretInput.parse({ value: 'tok_new_value_12345678' });
    const meta = r.secrets.metaFor(c.id, s);
    p.insideCallerTx(() => r.secrets.replace(c, s, meta));
    const rotated = r.credentials.get(c.id);
    expect(rotated.rotatedAt).toBe(p.clock.t);
    expect(rotated.fingerprint).not.toBe(c.fingerprint);
    expect(r.secrets.read(c.id).value).toBe('tok_new_value_12345678');
    expect(vaultError(() => r.secrets.checkWipeable(rotated)).code).toBe('VALIDATION');
    p.insideCallerTx(() => r.secrets.markRevoked(rotated, { wipeSecret: true, note: 'leaked' }));
    expect(r.credentials.get(c.id)).toMatchObject({ status: 'revoked', hasValue: false });
    expect(vaultError(() => r.secrets.read(c.id)).message).toBe(`The value of token ${c.id} was wiped (it was revoked).`);
    expect(p.auditTypes()).toEqual(['created', 'created', 'created', 'rotated', 'revoked']);
  });

  it('a damaged record can still be removed, audited with a note', () => {
    const r = repos();
    const { creds } = seed(r, ['a', 'b']);
    const [a, b] = creds as [CredentialSummary, CredentialSummary];
    dropWriteGuards(p.db); // the damage under test; the schema's guards would refuse it
    p.db.prepare('UPDATE credentials SET meta = (SELECT meta FROM credentials WHERE id = ?) WHERE id = ?').run(a.id, b.id);
    expect(vaultError(() => r.credentials.get(b.id)).code).toBe('CORRUPT');
    p.insideCallerTx(() => r.credentials.remove(b.id));
    expect(r.credentials.exists(b.id)).toBe(false);
    const last = p.audit.list({ limit: 1 })[0]!;
    expect(last).toMatchObject({ type: 'deleted', credentialId: b.id, fingerprint: null, note: 'record was damaged (failed to authenticate)' });
  });

  it('resolves workspace/env/name and refuses an edit on a revoked token', () => {
    const r = repos();
    const { creds } = seed(r);
    const c = creds[0]!;
    expect(r.credentials.resolve({ workspace: 'acme', environment: 'Production', name: 'DEPLOY' }).id).toBe(c.id);
    p.insideCallerTx(() => r.credentials.update(c.id, { status: 'revoked' }));
    expect(vaultError(() => p.insideCallerTx(() => r.credentials.update(c.id, { status: 'active' }))).code).toBe('VALIDATION');
    expect(r.credentials.get(c.id).status).toBe('revoked');
  });
});

describe('LineageRepository', () => {
  it('a switch swaps the names and records the successor; the undo restores both', () => {
    const r = repos();
    const { creds } = seed(r, ['deploy', 'deploy-next']);
    const [old, next] = creds as [CredentialSummary, CredentialSummary];
    p.insideCallerTx(() => r.lineage.swapNames(old, next, next.id));
    expect(r.credentials.resolve({ workspace: 'Acme', environment: 'production', name: 'deploy' }).id).toBe(next.id);
    expect(r.credentials.get(old.id)).toMatchObject({ name: 'deploy-next', supersededBy: next.id });
    p.insideCallerTx(() => r.lineage.swapNames(r.credentials.get(old.id), r.credentials.get(next.id), null));
    expect(r.credentials.get(old.id)).toMatchObject({ name: 'deploy', supersededBy: null });
  });

  it('a move to a place where the name is taken is CONFLICT and moves nothing', () => {
    const r = repos();
    const { creds, env, ws } = seed(r, ['a', 'b']);
    const [a] = creds as [CredentialSummary];
    expect(vaultError(() => p.insideCallerTx(() => r.lineage.move(a, env, 'b', 'Acme/production/a', `${ws.name}/${env.name}`))).message).toBe(
      'A token in Acme/production named "b" already exists.',
    );
    expect(r.credentials.get(a.id).name).toBe('a');
  });
});

describe('TestHistoryRepository and ProbeReportRepository', () => {
  it('seals each entry under test_history/<row id>/data and lists newest first', () => {
    const r = repos();
    const c = seed(r).creds[0]!;
    const tests = new TestHistoryRepository(p.ctx);
    const entry = { method: 'GET', path: '/user', status: 200, explanation: 'ok', totalMs: 12, rateLimitRemaining: null };
    p.insideCallerTx(() => tests.write(c, 'ok', entry, 1000));
    p.insideCallerTx(() => tests.write(c, 'unauthorized', { ...entry, status: 401 }, 2000));
    expect(tests.list(c.id).map((e) => [e.at, e.status])).toEqual([[2000, 401], [1000, 200]]);
    const row = p.db.prepare('SELECT id, data FROM test_history ORDER BY id LIMIT 1').get() as { id: number; data: Buffer };
    expect(openJson(p.keys.enc, row.data, { table: 'test_history', id: String(row.id), column: 'data' })).toEqual(entry);
    // Only an authenticated answer counts as use.
    expect(r.credentials.get(c.id)).toMatchObject({ lastTestedAt: 2000, lastUsedAt: 1000, lastTestOutcome: 'unauthorized' });
  });

  it('a history row is never rewritten and its id never handed out again: a box moved to another row, the box of a deleted row in the row written after it, or re-inserted under a new id, fails as CORRUPT', () => {
    const r = repos();
    const [a, b] = seed(r, ['a', 'b']).creds as [CredentialSummary, CredentialSummary];
    const tests = new TestHistoryRepository(p.ctx);
    const entry = { method: 'GET', path: '/user', status: 200, explanation: 'ok', totalMs: 12, rateLimitRemaining: null };
    p.insideCallerTx(() => tests.write(b, 'ok', entry, 1000));
    // a's entries are the newest rows; then a is deleted with its history.
    p.insideCallerTx(() => tests.write(a, 'ok', { ...entry, path: '/secret-admin-path' }, 2000));
    p.insideCallerTx(() => tests.write(a, 'ok', { ...entry, path: '/secret-admin-path-2' }, 2500));
    const deleted = p.db.prepare('SELECT id, data FROM test_history WHERE credential_id = ?').all(a.id) as { id: number; data: Buffer }[];
    p.insideCallerTx(() => r.credentials.remove(a.id));
    p.insideCallerTx(() => tests.write(b, 'ok', { ...entry, path: '/me' }, 3000));
    const rows = p.db.prepare('SELECT id, data FROM test_history WHERE credential_id = ? ORDER BY at').all(b.id) as { id: number; data: Buffer }[];
    expect(rows).toHaveLength(2);
    // The row written after the deletion has an id none of the deleted rows had.
    expect(deleted.map((d) => d.id)).not.toContain(rows[1]!.id);
    const put = (id: number, box: Buffer) => p.db.prepare('UPDATE test_history SET data = ? WHERE id = ?').run(box, id);
    // A deleted row's saved box, written into the row that followed it.
    for (const d of deleted) {
      put(rows[1]!.id, d.data);
      expect(vaultError(() => tests.list(b.id)).code, `box of deleted row ${d.id}`).toBe('CORRUPT');
    }
    // A box moved to another row of the same token.
    put(rows[1]!.id, rows[0]!.data);
    expect(vaultError(() => tests.list(b.id)).code).toBe('CORRUPT');
    put(rows[1]!.id, rows[1]!.data);
    expect(tests.list(b.id).map((e) => e.path)).toEqual(['/me', '/user']);
    // A deleted row re-inserted under a new id.
    p.db.prepare("INSERT INTO test_history (credential_id, at, outcome, data) VALUES (?, 4000, 'ok', ?)").run(b.id, deleted[0]!.data);
    expect(vaultError(() => tests.list(b.id)).code).toBe('CORRUPT');
  });

  it('a history time it cannot store (from a damaged or crafted backup) is CORRUPT and inserts nothing; thousands of rows at one instant each get their own id', () => {
    const r = repos();
    const c = seed(r).creds[0]!;
    const count = () => (p.db.prepare('SELECT count(*) AS n FROM test_history').get() as { n: number }).n;
    const before = count();
    const seal = () => Buffer.from('box');
    for (const at of [Number.NaN, -1, 1.5, 2 ** 42, 2 ** 60, Number.POSITIVE_INFINITY, '1000' as unknown as number]) {
      expect(vaultError(() => p.insideCallerTx(() => insertHistoryRow(p.ctx, c.id, at, 'ok', seal))).code, String(at)).toBe('CORRUPT');
    }
    expect(count()).toBe(before);
    const ids = p.insideCallerTx(() => Array.from({ length: 3000 }, () => insertHistoryRow(p.ctx, c.id, 1_700_000_000_000, 'ok', seal)));
    expect(new Set(ids).size).toBe(3000);
    expect(ids.every((id) => Number.isSafeInteger(Number(id)))).toBe(true);
  });

  it('keeps one probe report per token, sealed under probe_reports/<credential id>/data and a fresh write generation each time', () => {
    const r = repos();
    const c = seed(r).creds[0]!;
    const probes = new ProbeReportRepository(p.ctx);
    expect(probes.get(c.id)).toBeNull();
    p.insideCallerTx(() => probes.put(c.id, probes.seal(c.id, { v: 1 })));
    const first = p.db.prepare('SELECT data_gen FROM probe_reports WHERE credential_id = ?').get(c.id) as { data_gen: number };
    p.insideCallerTx(() => probes.put(c.id, probes.seal(c.id, { v: 2 })));
    expect(probes.get(c.id)).toEqual({ v: 2 });
    const row = p.db.prepare('SELECT data, data_gen FROM probe_reports WHERE credential_id = ?').get(c.id) as { data: Buffer; data_gen: number };
    expect(row.data_gen).toBeGreaterThan(0);
    expect(row.data_gen).not.toBe(first.data_gen);
    expect(openJson(p.keys.enc, row.data, { table: 'probe_reports', id: c.id, column: 'data', gen: row.data_gen })).toEqual({ v: 2 });
    // Issue 15: the generation is part of the additional data; without it (v1) the box does not open.
    expect(vaultError(() => openJson(p.keys.enc, row.data, { table: 'probe_reports', id: c.id, column: 'data' })).code).toBe('CORRUPT');
    expect(p.db.prepare('SELECT COUNT(*) AS n FROM probe_reports').get()).toEqual({ n: 1 });
  });

  it('the report from before a re-probe, written back over the newer one (or an old-format box with generation 0), fails as CORRUPT and returns nothing of it', () => {
    const r = repos();
    const c = seed(r).creds[0]!;
    const probes = new ProbeReportRepository(p.ctx);
    p.insideCallerTx(() => probes.put(c.id, probes.seal(c.id, { path: '/orders', observed: 'allowed_before' })));
    const before = (p.db.prepare('SELECT data FROM probe_reports WHERE credential_id = ?').get(c.id) as { data: Buffer }).data;
    p.insideCallerTx(() => probes.put(c.id, probes.seal(c.id, { path: '/orders', observed: 'denied_after' })));
    // The schema's guard refuses the write first (migration 14); an attacker with the file can drop it.
    expect(() => p.db.prepare('UPDATE probe_reports SET data = ? WHERE credential_id = ?').run(before, c.id)).toThrow(/^stale write refused:/);
    expect(probes.get(c.id)).toEqual({ path: '/orders', observed: 'denied_after' });
    dropWriteGuards(p.db); // the replay under test
    p.db.prepare('UPDATE probe_reports SET data = ? WHERE credential_id = ?').run(before, c.id);
    const e = vaultError(() => probes.get(c.id));
    expect(e.code).toBe('CORRUPT');
    expect(e.details).toEqual({ table: 'probe_reports', id: c.id, column: 'data' });
    expect(e.message).not.toContain('allowed_before');
    // Nor does a box in the format before migration 14 (v1 additional data, generation 0): no downgrade.
    const v1 = sealJson(p.keys.enc, { path: '/orders', observed: 'allowed_before' }, { table: 'probe_reports', id: c.id, column: 'data' });
    p.db.prepare('UPDATE probe_reports SET data = ?, data_gen = 0 WHERE credential_id = ?').run(v1, c.id);
    expect(vaultError(() => probes.get(c.id)).code).toBe('CORRUPT');
  });
});

describe('SettingsRepository', () => {
  it('reads the defaults, stores a patch key by key, and reads a damaged set as the defaults', () => {
    p = openParts();
    const settings = new SettingsRepository(p.db);
    expect(settings.get()).toEqual(SETTINGS_DEFAULTS);
    p.insideCallerTx(() => settings.put(settings.parsePatch({ autoLockMinutes: 3 })));
    expect(settings.get()).toEqual({ ...SETTINGS_DEFAULTS, autoLockMinutes: 3 });
    expect(vaultError(() => settings.parsePatch({ autoLockMinutes: 'soon' })).code).toBe('VALIDATION');
    p.db.prepare("UPDATE settings SET value = '\"x\"' WHERE key = 'autoLockMinutes'").run();
    expect(settings.get()).toEqual(SETTINGS_DEFAULTS);
  });
});

describe('SearchIndex', () => {
  it('matches every word somewhere in the path and one in the name, and rebuilds only after invalidate', () => {
    let builds = 0;
    const ws = { id: 'ws_1', name: 'Client A' } as Workspace;
    const env = { id: 'env_1', workspaceId: 'ws_1', name: 'production' } as Environment;
    const creds = [{ id: 'cred_1', workspaceId: 'ws_1', environmentId: 'env_1', name: 'deploy' } as CredentialSummary];
    const index = new SearchIndex({
      workspaces: () => {
        builds++;
        return [ws, { corrupt: true, table: 'workspaces', id: 'ws_bad' }];
      },
      environments: () => [env],
      credentials: () => creds,
    });
    expect(index.search('client a prod').map((e) => e.path)).toEqual(['Client A/production']);
    expect(index.search('prod/deploy').map((e) => e.id)).toEqual(['cred_1']);
    expect(index.search('  ')).toEqual([]);
    creds.push({ id: 'cred_2', workspaceId: 'ws_1', environmentId: 'env_1', name: 'deploy-2' } as CredentialSummary);
    expect(index.search('deploy')).toHaveLength(1);
    index.invalidate();
    expect(index.search('deploy', 1)).toHaveLength(1);
    expect(index.search('deploy')).toHaveLength(2);
    expect(builds).toBe(2);
  });
});
