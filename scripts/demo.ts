import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedDemo, startAll } from '../e2e/emulators';
import { MemoryKeyStore } from '../src-main/vault/keychain';
import { Vault } from '../src-main/vault/vault';

/**
 * `npm run demo`: the five provider emulators on loopback and the app on a
 * throwaway demo vault holding a workspace per provider, tokens of several
 * roles, one expired, one close to expiry and one revoked. Nothing leaves
 * this machine; the vault is deleted when the demo stops.
 */
const PASSPHRASE = 'tokenvault-demo';
const DAY = 86_400_000;

async function main() {
  const now = Date.now();
  const emulators = await startAll();
  const creds = seedDemo(emulators, now);
  const home = mkdtempSync(join(tmpdir(), 'tokenvault-demo-'));

  // A passphrase vault, so the demo never adds entries to your real keychain.
  const vault = Vault.open({ home, keyStore: new MemoryKeyStore() });
  await vault.init({ keySource: 'passphrase', passphrase: PASSPHRASE });

  const ws = (name: string, providerId: string, color: string) => vault.addWorkspace({ name, providerId, color });
  const env = (workspaceId: string, name: string, baseUrl: string, production = false) =>
    vault.addEnvironment({ workspaceId, name, baseUrl, production });
  const token = (environmentId: string, name: string, kind: 'bearer' | 'api_key' | 'jwt_session', value: string, extra: Record<string, unknown> = {}) =>
    vault.addCredential({ environmentId, name, kind, secret: { value }, ...extra });

  const regate = ws('Holding Lumière (Regate)', 'regate', '#6366f1');
  const regateProd = env(regate.id, 'production', emulators.urls.regate, true);
  const regateSandbox = env(regate.id, 'sandbox', emulators.urls.regate);
  token(regateProd.id, 'CFO integration', 'bearer', creds.regate.cfo, { role: 'CFO', description: 'Nightly sales invoice export' });
  token(regateProd.id, 'Treasury dashboard', 'bearer', creds.regate.treasurer, { role: 'Treasurer' });
  token(regateSandbox.id, 'Invoices accountant', 'bearer', creds.regate.accountantInvoices, { role: 'Accountant (invoices)' });
  const revoked = token(regateProd.id, 'Old contractor token', 'bearer', creds.regate.revoked, { role: 'CFO', description: 'Revoked when the contract ended' });
  vault.updateCredential(revoked.id, { status: 'revoked' });

  const regen = ws('Regen Clinics', 'regen-therapy', '#10b981');
  const regenSandbox = env(regen.id, 'sandbox', emulators.urls.regen);
  token(regenSandbox.id, 'Reporting (read all)', 'api_key', creds.regen.readAll, { headerName: 'X-API-Key', scopes: ['read:*'] });
  token(regenSandbox.id, 'Order sync', 'api_key', creds.regen.orders, { headerName: 'X-API-Key', scopes: ['read:orders', 'write:orders'], rotationDays: 90 });

  const strapi = ws('Acme CMS (Strapi)', 'strapi', '#8b5cf6');
  const strapiProd = env(strapi.id, 'production', emulators.urls.strapi, true);
  // Linked to the emulator's ids, so revoke and regenerate go through Strapi's Admin API.
  token(strapiProd.id, 'Website build (read-only)', 'bearer', creds.strapi.readOnly, { tokenType: 'read-only', remoteId: creds.strapi.ids.readOnly });
  token(strapiProd.id, 'Importer (full access)', 'bearer', creds.strapi.fullAccess30d, {
    tokenType: 'full-access',
    remoteId: creds.strapi.ids.fullAccess30d,
    expiresAt: now + 3 * DAY,
    description: 'Expires in 3 days: rotate it',
  });
  token(strapiProd.id, 'Preview (expired)', 'bearer', creds.strapi.expired, { tokenType: 'read-only', remoteId: creds.strapi.ids.expired, expiresAt: now - DAY });

  const coolset = ws('Northwind (Coolset)', 'coolset', '#0ea5e9');
  const coolsetProd = env(coolset.id, 'production', emulators.urls.coolset, true);
  token(coolsetProd.id, 'ESG reporting (Read)', 'bearer', creds.coolset.read, { scopes: ['Read'], rotationDays: 90 });
  token(coolsetProd.id, 'Order feed (Write)', 'bearer', creds.coolset.write, { scopes: ['Write'], rotationDays: 90 });
  token(coolsetProd.id, 'Ops admin', 'bearer', creds.coolset.admin, { scopes: ['Admin'], rotationDays: 90 });

  const built = ws('Kente Traders (Built)', 'built-accounting', '#f59e0b');
  const builtSandbox = env(built.id, 'sandbox', emulators.urls.built.sandbox);
  const builtProd = env(built.id, 'production', emulators.urls.built.production, true);
  token(builtSandbox.id, 'Invoices (sandbox)', 'bearer', creds.built.sandbox);
  token(builtProd.id, 'Invoices (production)', 'bearer', creds.built.production);
  // A sandbox token filed under production by mistake: the test explains it.
  token(builtProd.id, 'Misfiled sandbox token', 'bearer', creds.built.otherBusinessSandbox, { description: 'Pasted into the wrong environment' });

  vault.close();

  console.log('Provider emulators (loopback only):');
  for (const [name, url] of Object.entries(emulators.urls)) console.log(`  ${name.padEnd(8)} ${typeof url === 'string' ? url : `${url.sandbox} (sandbox), ${url.production} (production)`}`);
  console.log(`\nDemo vault in ${home} — its passphrase is: ${PASSPHRASE}`);
  // Revoking, regenerating and syncing Strapi tokens needs an admin sign-in: the emulator's own.
  console.log(
    `Strapi admin sign-in (to revoke, regenerate or sync the Acme CMS tokens through the API): ${creds.strapi.admin.email} / ${creds.strapi.admin.password}\n` +
      `  in the app: the token's Revoke panel asks for it; on the command line: tokenvault login "Acme CMS (Strapi)/production/admin" --email ${creds.strapi.admin.email}\n`,
  );

  const app = spawn(process.execPath, [join(__dirname, 'start.cjs'), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, TOKENVAULT_HOME: home },
  });
  const stop = async () => {
    app.kill('SIGTERM');
    await emulators.close();
    rmSync(home, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  app.on('exit', stop);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
