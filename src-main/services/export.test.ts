import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempVault, type TempVault } from '../vault/test-support';
import { buildExport, writeExport } from './export';
import { applyImport, planImport, readImportSource } from './import';

let src: TempVault;
let dst: TempVault;

const VALUES = ['live-bearer-0123456789abcdef', 'rg_sandbox_key_0123456789', 'eyJhbGciOiJIUzI1NiJ9.e30.session', 'refresh-token-0123456789'];

beforeEach(async () => {
  src = openTempVault();
  dst = openTempVault();
  await src.vault.init({ keySource: 'keychain' });
  await dst.vault.init({ keySource: 'keychain' });
  const v = src.vault;
  const ws = v.addWorkspace({ name: 'Acme Holding', providerId: 'regen-therapy', color: '#0ea5e9', notes: 'Main client.\nCall Ada first.' });
  v.setWorkspaceRotationDays(ws.id, 90);
  const prod = v.addEnvironment({ workspaceId: ws.id, name: 'production', baseUrl: 'https://api.example.com', production: true });
  const sbx = v.addEnvironment({ workspaceId: ws.id, name: 'sandbox', baseUrl: 'https://sandbox.example.com' });
  v.addCredential({ environmentId: prod.id, name: 'ci', kind: 'bearer', description: 'CI deploys', scopes: ['write:orders'], tags: ['ci', 'deploy'], expiresAt: Date.UTC(2027, 5, 30), rotationDays: 30, remoteId: 'tok_42', secret: { value: VALUES[0]! } });
  v.addCredential({ environmentId: sbx.id, name: 'server key', kind: 'api_key', headerName: 'X-API-Key', scopes: ['read:*', 'write:orders'], secret: { value: VALUES[1]! } });
  v.addCredential({ environmentId: sbx.id, name: 'session', kind: 'jwt_session', secret: { value: VALUES[2]!, refreshToken: VALUES[3]! } });
  const gone = v.addCredential({ environmentId: prod.id, name: 'old', kind: 'bearer', secret: { value: 'revoked-value-0123456789' } });
  v.markRevoked(gone.id, { wipeSecret: false, note: 'left' });
});
afterEach(() => {
  src.cleanup();
  dst.cleanup();
});

async function importInto(t: TempVault, file: string) {
  const plan = planImport(t.vault, await readImportSource(file), { workspace: 'Acme Holding' });
  return { plan, result: applyImport(t.vault, plan) };
}
const withoutTime = (d: ReturnType<typeof buildExport>) => ({ ...d, exportedAt: null });

describe('workspace export', () => {
  it('without secrets: no value anywhere in the file, owner-only, audited', () => {
    const file = join(src.home, 'acme.json');
    writeExport(src.vault, 'Acme Holding', file, { withSecrets: false });
    const text = readFileSync(file, 'utf8');
    for (const v of VALUES) expect(text).not.toContain(v);
    expect(JSON.parse(text)).toMatchObject({ format: 'tokenvault-export', version: 1, withSecrets: false, workspace: { name: 'Acme Holding', rotationDays: 90 } });
    expect(JSON.parse(text).environments.flatMap((e: { tokens: { name: string }[] }) => e.tokens.map((t) => t.name)).sort()).toEqual(['ci', 'server key', 'session']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(src.vault.listAudit({ limit: 1 })[0]).toMatchObject({ type: 'exported', note: 'export of workspace Acme Holding without secrets' });
  });

  it('round trip with secrets: export → import → export gives the same workspace, values included; the plaintext export is audited', async () => {
    const file = join(src.home, 'acme-secrets.json');
    const first = writeExport(src.vault, 'Acme Holding', file, { withSecrets: true });
    expect(first.values).toBe(3);
    expect(src.vault.listAudit({ limit: 1 })[0]).toMatchObject({ type: 'exported', note: 'PLAINTEXT export of workspace Acme Holding: 3 token values' });
    const { plan, result } = await importInto(dst, file);
    expect(plan.preview.problems).toEqual([]);
    expect(result.created).toMatchObject({ environments: 2, credentials: 3 });
    expect(withoutTime(buildExport(dst.vault, 'Acme Holding', { withSecrets: true }))).toEqual(withoutTime(buildExport(src.vault, 'Acme Holding', { withSecrets: true })));
  });

  it('round trip without secrets: the same workspace and environments; tokens are listed as skipped for want of a value', async () => {
    const file = join(src.home, 'acme.json');
    writeExport(src.vault, 'Acme Holding', file, { withSecrets: false });
    const { plan } = await importInto(dst, file);
    expect(plan.preview.skipped.map((s) => [s.name, s.reason])).toEqual([
      ['ci', 'exported without its value (only a plaintext export carries values)'],
      ['server key', 'exported without its value (only a plaintext export carries values)'],
      ['session', 'exported without its value (only a plaintext export carries values)'],
    ]);
    const a = buildExport(src.vault, 'Acme Holding', { withSecrets: false });
    const b = buildExport(dst.vault, 'Acme Holding', { withSecrets: false });
    expect(b.workspace).toEqual(a.workspace);
    expect(b.environments.map(({ tokens: _t, ...e }) => e)).toEqual(a.environments.map(({ tokens: _t, ...e }) => e));
  });

  it('a malformed export is refused at its JSON path and line, nothing saved', async () => {
    const file = join(src.home, 'bad.json');
    const doc = buildExport(src.vault, 'Acme Holding', { withSecrets: false });
    writeFileSync(file, JSON.stringify({ ...doc, environments: [{ ...doc.environments[0], production: 'yes' }] }, null, 2));
    const plan = planImport(dst.vault, await readImportSource(file), { workspace: 'Acme Holding' });
    expect(plan.preview.problems[0]).toMatchObject({ location: expect.stringMatching(/^\$\.environments\[0\]\.production \(line \d+, column \d+\)$/) });
    expect(() => applyImport(dst.vault, plan)).toThrow(/nothing was saved/);
    expect(dst.vault.listWorkspaces()).toEqual([]);
  });

  it('a plaintext export never goes to the terminal', () => {
    expect(() => writeExport(src.vault, 'Acme Holding', null, { withSecrets: true })).toThrow(/goes to a file/);
  });
});
