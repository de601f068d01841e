import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAppServices, type AppServices } from '../services/app-services';
import { TransferService } from '../services/transfer-service';
import { MemoryKeyStore } from '../vault/keychain';
import { tempHome } from '../vault/test-support';
import { dispatch } from './dispatch';
import { createHandlers, type Handlers } from './handlers';

// The issue-14 channels end to end through dispatch: inputs checked at the boundary, files as content, no values out.
let home: string;
let home2: string;
let a: AppServices;
let b: AppServices;
let ha: Handlers;
let hb: Handlers;
const F = join(__dirname, '..', 'services', 'import', 'fixtures');
const PASS = 'backup passphrase 1234';

function services(h: string): AppServices {
  const s = createAppServices({ home: h, keyStore: new MemoryKeyStore(), shell: 'browser' });
  s.reminders.stop();
  s.transfer = new TransferService(s.vault, s.providers, { scryptWorkFactor: 10 });
  return s;
}

beforeEach(async () => {
  home = tempHome();
  home2 = tempHome();
  a = services(home);
  b = services(home2);
  ha = createHandlers(a);
  hb = createHandlers(b);
  await a.vault.init({ keySource: 'keychain' });
});
afterEach(() => {
  a.vault.close();
  b.vault.close();
  rmSync(home, { recursive: true, force: true });
  rmSync(home2, { recursive: true, force: true });
});

describe('import, export, backup and restore channels', () => {
  it('import:preview shows fingerprints, import:apply imports, export:workspace has no values', async () => {
    const text = readFileSync(join(F, 'insomnia-v5.yaml'), 'utf8');
    const input = { fileName: 'insomnia-v5.yaml', text, format: 'auto' as const, workspace: 'Built' };
    const preview = await dispatch(ha, 'import:preview', input);
    expect(preview).toMatchObject({ ok: true, value: { format: 'insomnia', create: [{ name: 'businessToken' }, { name: 'businessToken' }] } });
    expect(JSON.stringify(preview)).not.toContain('bt_live_0f9e8d7c6b5a4f3e2d1c');
    const applied = await dispatch(ha, 'import:apply', input);
    expect(applied).toMatchObject({ ok: true, value: { created: { environments: 2, credentials: 2 } } });
    const wsId = (applied as { value: { workspaceId: string } }).value.workspaceId;
    const exported = await dispatch(ha, 'export:workspace', { workspaceId: wsId });
    expect(exported).toMatchObject({ ok: true, value: { fileName: 'built.tokenvault.json' } });
    expect(JSON.stringify(exported)).not.toContain('bt_live_0f9e8d7c6b5a4f3e2d1c');
    expect(await dispatch(ha, 'export:workspace', { workspaceId: wsId, withSecrets: true })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('a broken import is refused with each location as an issue path, nothing saved', async () => {
    const text = readFileSync(join(F, 'postman-broken.json'), 'utf8');
    const r = await dispatch(ha, 'import:apply', { fileName: 'env.json', text, format: 'postman', workspace: 'Acme' });
    expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION', issues: [{ path: 'line 6, column 5' }] } });
    expect(a.vault.listWorkspaces()).toEqual([]);
  });

  it('backup:create → backup:inspect → backup:restore into a new vault, and a merge with a choice', async () => {
    a.vault.addWorkspace({ name: 'Acme' });
    const created = await dispatch(ha, 'backup:create', { passphrase: PASS });
    expect(created).toMatchObject({ ok: true, value: { fileName: expect.stringMatching(/^tokenvault-\d{4}-\d{2}-\d{2}\.age$/), workspaces: 1 } });
    const base64 = (created as { value: { base64: string } }).value.base64;
    expect(Buffer.from(base64, 'base64').subarray(0, 21).toString()).toBe('age-encryption.org/v1');

    expect(await dispatch(hb, 'backup:inspect', { base64, passphrase: 'wrong passphrase!!' })).toMatchObject({ ok: false, error: { code: 'WRONG_PASSPHRASE' } });
    expect(await dispatch(hb, 'backup:inspect', { base64, passphrase: PASS })).toMatchObject({ ok: true, value: { mode: 'new', counts: { workspaces: 1 } } });
    expect(await dispatch(hb, 'backup:restore', { base64, passphrase: PASS })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await dispatch(hb, 'backup:restore', { base64, passphrase: PASS, newVault: { keySource: 'keychain' } })).toMatchObject({ ok: true, value: { mode: 'new', workspaces: 1 } });
    expect(b.vault.verifyAudit().ok).toBe(true);

    // Merge back into the original after a change: one conflict, refused without a choice, resolved with one.
    const ws = a.vault.findWorkspace('Acme');
    a.vault.updateWorkspace(ws.id, { notes: 'changed' });
    const inspected = await dispatch(ha, 'backup:inspect', { base64, passphrase: PASS });
    expect(inspected).toMatchObject({ ok: true, value: { mode: 'merge', conflicts: [{ key: `workspace:${ws.id}`, reason: 'same-id' }] } });
    expect(await dispatch(ha, 'backup:restore', { base64, passphrase: PASS })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await dispatch(ha, 'backup:restore', { base64, passphrase: PASS, choices: { byKey: { [`workspace:${ws.id}`]: 'theirs' } } })).toMatchObject({ ok: true, value: { mode: 'merge', resolved: 1 } });
    expect(a.vault.getWorkspace(ws.id).notes).toBe('');
    expect(await dispatch(ha, 'backup:restore', { base64: 'not base64!', passphrase: PASS })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });
});
