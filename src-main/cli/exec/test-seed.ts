import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openTempVault } from '../../vault/test-support';

export interface SeedSpec {
  workspaces: { name: string; providerId?: string; environments: { name: string; baseUrl: string; production?: boolean; tokens: { name: string; value: string; kind?: 'bearer' | 'api_key'; role?: string; scopes?: string[] }[] }[] }[];
}

/**
 * A passphrase vault for CLI tests, filled in-process with scrypt at its
 * minimum cost: the CLI reads the stored parameters, so each command it runs
 * unlocks in milliseconds instead of paying N=2^17 every time.
 */
export async function seedCliVault(spec: SeedSpec): Promise<{ home: string; env: Record<string, string>; ids: Map<string, string> }> {
  const t = openTempVault();
  const passphrase = 'correct horse battery staple';
  await t.vault.init({ keySource: 'passphrase', passphrase });
  const ids = new Map<string, string>();
  for (const w of spec.workspaces) {
    const ws = t.vault.addWorkspace({ name: w.name, ...(w.providerId ? { providerId: w.providerId } : {}) });
    for (const e of w.environments) {
      const env = t.vault.addEnvironment({ workspaceId: ws.id, name: e.name, baseUrl: e.baseUrl, production: e.production === true });
      for (const tok of e.tokens) {
        const c = t.vault.addCredential({
          environmentId: env.id,
          name: tok.name,
          kind: tok.kind ?? 'bearer',
          ...(tok.role ? { role: tok.role } : {}),
          ...(tok.scopes ? { scopes: tok.scopes } : {}),
          secret: { value: tok.value },
        });
        ids.set(`${w.name}/${e.name}/${tok.name}`, c.id);
      }
    }
  }
  t.vault.close();
  const passFile = join(t.home, 'pass.txt');
  writeFileSync(passFile, `${passphrase}\n`);
  return { home: t.home, env: { TOKENVAULT_HOME: t.home, TOKENVAULT_PASSPHRASE_FILE: passFile }, ids };
}
