import type { Vault } from '../vault/vault';

/** Another token holding the same value, in an environment of the other kind (production vs not). */
export interface SameValueWarning {
  credentialId: string;
  /** `Workspace/env/name` of the other token. */
  where: string;
  production: boolean;
  message: string;
}

/**
 * The mistake the product exists to prevent: one secret value stored both in
 * a production environment and in a non-production one. Compared through the
 * vault's blind index (HMACs under the vault key), never as plaintext. Tokens
 * stored before the index existed are indexed here first, once.
 */
export function sameValueWarnings(vault: Vault, credentialId: string): SameValueWarning[] {
  const missing = vault.secretIndex.missing();
  for (const id of missing) {
    try {
      vault.secretIndex.put(id, vault.secretForRequest(id).value);
    } catch {
      // A corrupt record is reported where it is listed; it cannot be compared.
    }
  }
  const c = vault.getCredential(credentialId);
  const env = vault.getEnvironment(c.environmentId);
  const out: SameValueWarning[] = [];
  for (const otherId of vault.secretIndex.sameValueAs(credentialId)) {
    const o = vault.getCredential(otherId);
    const oe = vault.getEnvironment(o.environmentId);
    if (oe.production === env.production) continue;
    const where = `${vault.getWorkspace(o.workspaceId).name}/${oe.name}/${o.name}`;
    out.push({
      credentialId: o.id,
      where,
      production: oe.production,
      message: `The same value is stored as ${where}, in ${oe.production ? 'production' : 'a non-production environment'}: one secret in both sandbox and production means one of them is misfiled (or a live token is used for testing). Move or delete the wrong one.`,
    });
  }
  return out;
}
