import { VaultError } from '../../../src-shared/errors';
import { parseCredentialRef, parseScopeRef } from '../../../src-shared/domain/ref';
import type { CredentialSummary } from '../../../src-shared/domain/types';
import type { RevocationPlan, RevokeResult, SyncReport } from '../../../src-shared/domain/revocation-types';
import type { Vault } from '../../vault/vault';
import type { CommandSpec } from '../args';
import type { Context } from '../context';
import { date, safe, table, plural } from '../format';
import { promptHidden, promptLine, readStdin } from '../io';
import { resolveRef } from './token-commands';
import { secretLines } from '../../platform/secret-text';

type Command = CommandSpec & { run(ctx: Context): Promise<void> };

/**
 * Asks before an irreversible act: the token's name for a production token,
 * y/N otherwise. `--yes` answers for scripts; without it and without a
 * terminal the command stops (exit 2) rather than guess.
 */
async function confirm(ctx: Context, c: CredentialSummary, production: boolean, question: string): Promise<void> {
  if (ctx.values.yes === true) return;
  if (!process.stdin.isTTY) {
    throw new VaultError('USAGE', `${question} Not on a terminal, so there is no one to ask: pass --yes to go ahead.`);
  }
  if (production) {
    const typed = await promptLine(`${question} ${safe(c.name)} is a PRODUCTION token: type its name to confirm: `);
    if (typed.normalize('NFC').trim() !== c.name) throw new VaultError('VALIDATION', 'The name does not match; nothing was done.');
    return;
  }
  const answer = await promptLine(`${question} [y/N] `);
  if (!/^y(es)?$/i.test(answer.trim())) throw new VaultError('USAGE', 'Not confirmed; nothing was done.');
}

function checklist(plan: RevocationPlan): string {
  const lines = ['Revoke it at the provider:'];
  if (plan.portalPage) lines.push(`  where: ${safe(plan.portalPage)}`);
  if (plan.url) lines.push(`  link:  ${plan.url}`);
  plan.steps.forEach((s, i) => lines.push(`  ${i + 1}. ${safe(s)}`));
  if (plan.irreversible) lines.push('  A revoked token can never be reinstated.');
  return lines.join('\n');
}

/**
 * `path` says how it went: `api` (the provider's API deleted it), `manual`
 * (the checklist, then a verification call: only a 401 marks it revoked),
 * or `none` (already revoked). `switchedToManual` names why an API provider
 * took the manual path, so a script is never surprised.
 */
function revokeOutcome(ctx: Context, r: RevokeResult, path: 'api' | 'manual' | 'none', switchedToManual: string | null = null): void {
  ctx.out.result({ ...r, path, switchedToManual }, safe(r.message));
  process.exitCode = r.revoked ? 0 : 1;
}

function production(vault: Vault, c: CredentialSummary): boolean {
  return vault.getEnvironment(c.environmentId).production;
}

export const revocationCommands: Command[] = [
  {
    words: ['revoke'],
    usage: 'revoke REF [--yes] [--override]',
    summary: 'Revoke a token: through the provider API where it has one, else a checklist and a call that proves it dead (exit 0 when revoked)',
    options: { yes: { type: 'boolean', short: 'y' }, override: { type: 'boolean' } },
    positionals: [1, 1],
    async run(ctx) {
      const vault = await ctx.unlocked();
      const c = resolveRef(vault, ctx.positionals[0]!);
      const { revocation } = ctx.revocation();
      const plan = revocation.plan(c.id);
      const prod = production(vault, c);
      if (plan.revoked) return revokeOutcome(ctx, await revocation.revoke(c.id), 'none');
      if (plan.mode === 'api' && plan.hasRemoteId) {
        await confirm(ctx, c, prod, `Revoke ${safe(c.name)} at the provider? This cannot be undone.`);
        // --yes or the typed name is the confirmation that names the token.
        return revokeOutcome(ctx, await revocation.revoke(c.id, prod ? { confirmName: c.name } : {}), 'api');
      }
      const switched = plan.mode === 'api' ? 'no_remote_id' : null;
      // Said even with --yes (on stderr; with --json in the result): a script must know the API was not used.
      if (switched) {
        process.stderr.write(
          `${safe(c.name)} has no remote id, so the provider's API cannot be told which token to revoke: switching to the manual path (revoke it at the provider, then a verification call decides). Link it first with tokenvault sync WORKSPACE/ENV --apply, or tokenvault token edit REF --remote-id ID.\n`,
        );
      }
      if (!ctx.out.json) process.stderr.write(`${checklist(plan)}\n`);
      if (ctx.values.yes !== true && !process.stdin.isTTY) {
        throw new VaultError('USAGE', 'Not on a terminal: revoke it as above, then run again with --yes ("I revoked it") to verify.');
      }
      await confirm(ctx, c, prod, 'Have you revoked it?');
      // --yes only says "I revoked it": the verification call decides whether it is revoked.
      revokeOutcome(ctx, await revocation.confirmManual(c.id, { override: ctx.values.override === true }), 'manual', switched);
    },
  },
  {
    words: ['regenerate'],
    usage: 'regenerate REF [--yes]',
    summary: 'Regenerate a token through the provider API: the old value dies at once, the new one goes into the vault (token reveal shows it)',
    options: { yes: { type: 'boolean', short: 'y' } },
    positionals: [1, 1],
    async run(ctx) {
      const vault = await ctx.unlocked();
      const c = resolveRef(vault, ctx.positionals[0]!);
      const prod = production(vault, c);
      // Unsupported (no API, revoked, no remote id) is said before anyone is asked to confirm.
      ctx.revocation().revocation.checkRegenerate(c.id);
      await confirm(ctx, c, prod, `Regenerate ${safe(c.name)}? Its current value stops working at once.`);
      const r = await ctx.revocation().revocation.regenerate(c.id, prod ? { confirmName: c.name } : {});
      ctx.out.result(r, safe(r.message));
      process.exitCode = r.verification?.outcome === 'ok' ? 0 : 1;
    },
  },
  {
    words: ['sync'],
    usage: 'sync WORKSPACE/ENV [--apply]',
    summary: "Compare the provider's token list with the vault: dates and types follow it; --apply marks tokens gone there as revoked",
    options: { apply: { type: 'boolean' } },
    positionals: [1, 1],
    async run(ctx) {
      const scope = parseScopeRef(ctx.positionals[0]!);
      if (!scope?.environment) throw new VaultError('USAGE', 'Usage: tokenvault sync WORKSPACE/ENV [--apply]');
      const vault = await ctx.unlocked();
      const ws = vault.findWorkspace(scope.workspace);
      const env = vault.findEnvironment(ws.id, scope.environment);
      const r = await ctx.revocation().sync.sync({ workspaceId: ws.id, environmentId: env.id, apply: ctx.values.apply === true });
      ctx.out.result(r, () => syncText(r));
    },
  },
  {
    words: ['login'],
    usage: 'login WORKSPACE/ENV/NAME --email E  (password on standard input, or asked without echo)',
    summary: "Sign in to a provider's login session (Strapi admin: needed to revoke, regenerate and sync); the password is not stored",
    options: { email: { type: 'string', required: true, valueName: 'E' } },
    fields: { password: 'the password (standard input)', name: 'NAME (in WORKSPACE/ENV/NAME)' },
    positionals: [1, 1],
    async run(ctx) {
      const ref = parseCredentialRef(ctx.positionals[0]!);
      if (!ref || 'id' in ref) throw new VaultError('USAGE', 'Name the session as WORKSPACE/ENV/NAME.');
      if (typeof ctx.values.email !== 'string') throw new VaultError('USAGE', '--email is required.');
      const vault = await ctx.unlocked();
      const ws = vault.findWorkspace(ref.workspace);
      const env = vault.findEnvironment(ws.id, ref.environment);
      const password = process.stdin.isTTY ? await promptHidden('Password (input hidden): ') : (secretLines(await readStdin(4096))[0] ?? '');
      if (!password) throw new VaultError('VALIDATION', 'The password is empty.', { issues: [{ path: 'password', message: 'is required' }] });
      const c = await ctx.requests().service.login({ environmentId: env.id, name: ref.name, email: ctx.values.email, password });
      ctx.out.result(c, `Signed in: session ${safe(c.name)} (${c.fingerprint}) in ${safe(ws.name)}/${safe(env.name)}${c.expiresAt ? `, valid until ${date(c.expiresAt)}` : ''}.`);
    },
  },
];

function syncText(r: SyncReport): string {
  const out: string[] = [];
  if (r.matched.length) {
    out.push(
      table(
        ['TOKEN', 'REMOTE ID', 'TYPE', 'EXPIRES', 'LAST USED', 'UPDATED'],
        r.matched.map((m) => [safe(m.remoteName ?? m.credentialId), safe(m.remoteId), safe(m.tokenType ?? '—'), date(m.expiresAt), date(m.lastUsedAt), m.problem ? `not updated: ${safe(m.problem)}` : m.changed.join(', ') || '—']),
      ),
    );
  }
  for (const m of r.missingRemotely) {
    out.push(`GONE at the provider: ${safe(m.name)} (remote id ${safe(m.remoteId)}) — ${m.markedRevoked ? 'marked revoked' : 'run again with --apply to mark it revoked'}`);
  }
  for (const u of r.untracked) {
    out.push(`NOT IN THE VAULT: ${safe(u.name ?? '?')} (remote id ${safe(u.remoteId)}; its value is shown only at creation: regenerate it to store it, or rotate)`);
  }
  for (const l of r.linked) {
    out.push(`LINKED: ${safe(l.name)} to the provider's token ${safe(l.remoteId)}, the only one of that name: revoke and regenerate now go through the API.`);
  }
  for (const u of r.unlinked) {
    const hint = u.sameNameRemoteId
      ? ` — the provider has one token of that name (id ${safe(u.sameNameRemoteId)}): run again with --apply to link them`
      : u.sameNameRemoteIds.length > 1
        ? ` — the provider has ${plural(u.sameNameRemoteIds.length, 'token')} of that name (ids ${u.sameNameRemoteIds.map(safe).join(', ')}): link the right one with tokenvault token edit REF --remote-id ID`
        : ' — the provider has no token of that name';
    out.push(`NO REMOTE ID: ${safe(u.name)}${hint}`);
  }
  return out.join('\n') || 'Nothing to report: the provider lists no tokens.';
}
