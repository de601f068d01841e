import { afterEach, describe, expect, it } from 'vitest';
import { openTempVault, type TempVault } from './test-support';

let t: TempVault;
afterEach(() => t?.cleanup());

describe('vault smoke', () => {
  it('creates, stores and reveals a token across a reopen', async () => {
    t = openTempVault();
    await t.vault.init({ keySource: 'keychain' });
    const ws = t.vault.addWorkspace({ name: 'Acme' });
    const env = t.vault.addEnvironment({ workspaceId: ws.id, name: 'sandbox', baseUrl: 'https://api.example.com/' });
    const c = t.vault.addCredential({ environmentId: env.id, name: 'ci', kind: 'bearer', secret: { value: 'rg_abcdef0123456789abcdef' } });
    expect(c.fingerprint).toBe('rg_abc…def');
    const v2 = t.reopen();
    expect(v2.status().state).toBe('locked');
    await v2.unlock();
    expect(v2.resolveCredential({ workspace: 'acme', environment: 'SANDBOX', name: 'ci' }).id).toBe(c.id);
    expect(v2.revealCredential(c.id).value).toBe('rg_abcdef0123456789abcdef');
    v2.flush();
    expect(v2.listAudit().map((e) => e.type)).toContain('revealed');
    expect(v2.verifyAudit().ok).toBe(true);
  });
});
