import { VaultError } from '../../../src-shared/errors';
import type { CommandSpec } from '../args';
import type { Context } from '../context';
import { safe, table } from '../format';
import { promptLine } from '../io';
import type { ImportPreview } from '../../services/import';
import { providerOverview, type ProviderDefinition } from '../../../src-shared/providers';

const FORMATS = ['auto', 'dotenv', 'postman', 'insomnia', 'bruno', 'openapi'] as const;

/** The preview as text: what will be created, what is skipped and why, which names exist, and every problem with its place. */
export function previewText(p: ImportPreview): string {
  const lines: string[] = [];
  lines.push(`${p.format} ${safe(p.title)} → workspace ${safe(p.workspace.name)}${p.workspace.exists ? ' (exists)' : ' (new)'}`);
  if (p.provider?.exists) lines.push(`Provider ${p.provider.id} (${safe(p.provider.name)}) exists: kept as it is`);
  else if (p.provider) lines.push(`Provider ${p.provider.id} (${safe(p.provider.name)}): new, saved with the import (review it here; the app opens it in the provider editor)`, ...providerText(p.provider.definition));
  if (p.environments.length) {
    lines.push('', 'Environments:', table(['NAME', 'BASE URL', 'PRODUCTION', ''], p.environments.map((e) => [safe(e.name), safe(e.baseUrl ?? '—'), e.production ? 'yes' : 'no', e.exists ? 'exists' : 'new'])));
  }
  lines.push('', p.create.length ? `Tokens to create (${p.create.length}):` : 'No tokens to create.');
  if (p.create.length) lines.push(table(['ENV', 'NAME', 'KIND', 'VALUE', 'FROM', 'WHY'], p.create.map((c) => [safe(c.environment), safe(c.name), c.kind === 'api_key' ? `api_key (${c.headerName})` : c.kind, c.fingerprint, safe(c.location), c.why])));
  if (p.existing.length) lines.push('', 'Already in the vault (kept, not overwritten):', table(['ENV', 'NAME', 'FROM'], p.existing.map((e) => [safe(e.environment), safe(e.name), safe(e.location)])));
  if (p.skipped.length) lines.push('', 'Skipped:', table(['NAME', 'FROM', 'WHY'], p.skipped.map((s) => [safe(s.name), safe(s.location), safe(s.reason)])));
  if (p.warnings.length) lines.push('', `Warnings (${p.warnings.length}):`, table(['WHERE', 'WARNING'], p.warnings.map((w) => [safe(w.location), safe(w.message)])));
  if (p.unsupported.length) lines.push('', 'Not supported (left out):', table(['WHERE', 'WHAT'], p.unsupported.map((u) => [safe(u.location), safe(u.message)])));
  if (p.problems.length) lines.push('', `Problems (${p.problems.length}) — nothing will be saved:`, table(['WHERE', 'PROBLEM'], p.problems.map((u) => [safe(u.location), safe(u.message)])));
  return lines.join('\n');
}

/** What an imported OpenAPI document makes of a provider: its authentication, test requests and the endpoints of its permission model. */
function providerText(d: ProviderDefinition): string[] {
  const o = providerOverview(d);
  const out = [`  Authentication: ${safe(o.authentication.join(', ') || 'none the app supports')}`, `  Test requests: ${safe(o.testRequests.join(', ') || 'none')}`, `  Endpoints (${o.endpoints.length}):`];
  if (o.endpoints.length) out.push(table(['METHODS', 'PATH'], o.endpoints.map((e) => [e.methods.join(' '), safe(e.path)])));
  return out;
}

export const importCommands: (CommandSpec & { run(ctx: Context): Promise<void> })[] = [
  {
    words: ['import'],
    usage: 'import FILE [--format auto|dotenv|postman|insomnia|bruno|openapi] --workspace W [--env E] [--dry-run] [--yes]',
    summary: 'Import tokens from .env, Postman, Insomnia, Bruno, or a provider from OpenAPI: preview, then one transaction',
    options: { format: { type: 'string' }, workspace: { type: 'string' }, env: { type: 'string' }, 'dry-run': { type: 'boolean' }, yes: { type: 'boolean' } },
    positionals: [1, 1],
    async run(ctx) {
      const format = (ctx.values.format as string | undefined) ?? 'auto';
      if (!(FORMATS as readonly string[]).includes(format)) throw new VaultError('USAGE', `--format must be one of ${FORMATS.join(', ')}.`);
      const workspace = ctx.values.workspace as string | undefined;
      if (!workspace) throw new VaultError('USAGE', 'Name the workspace to import into: --workspace W (it is created when it does not exist).');
      const dryRun = ctx.values['dry-run'] === true;
      if (!dryRun && ctx.values.yes !== true && !process.stdin.isTTY) {
        throw new VaultError('USAGE', 'Not on a terminal: pass --yes to import without asking, or --dry-run to see the preview.');
      }
      const vault = await ctx.unlocked();
      const { readImportSource, planImport, applyImport } = await import('../../services/import');
      const source = await readImportSource(ctx.positionals[0]!, format as (typeof FORMATS)[number]);
      const env = ctx.values.env as string | undefined;
      const plan = planImport(vault, source, { workspace, ...(env ? { env } : {}) }, ctx.providers());
      const p = plan.preview;
      if (p.problems.length > 0) {
        // The preview for people; with --json the error's issues carry every location.
        if (!ctx.out.json) process.stderr.write(`${previewText(p)}\n\n`);
        throw new VaultError('VALIDATION', `The import has ${p.problems.length} problem${p.problems.length === 1 ? '' : 's'}; nothing was saved.`, {
          issues: p.problems.slice(0, 50).map((q) => ({ path: q.location, message: q.message })),
        });
      }
      if (dryRun) {
        ctx.out.result({ dryRun: true, ...p }, () => previewText(p));
        return;
      }
      if (ctx.values.yes !== true) {
        process.stderr.write(`${previewText(p)}\n\n`);
        const answer = await promptLine(`Import ${p.create.length} token${p.create.length === 1 ? '' : 's'} into ${p.workspace.name}? [y/N] `);
        if (!/^y(es)?$/i.test(answer.trim())) throw new VaultError('CANCELLED', 'Nothing was imported.');
      }
      // With --yes no preview was shown: the warnings still are, on standard error.
      if (ctx.values.yes === true) for (const w of p.warnings) ctx.out.info(`WARNING: ${safe(w.location)}: ${safe(w.message)}`);
      const r = applyImport(vault, plan, ctx.providers());
      ctx.out.result(
        { ...p, result: r },
        `Imported ${r.created.credentials} token${r.created.credentials === 1 ? '' : 's'} and ${r.created.environments} new environment${r.created.environments === 1 ? '' : 's'} into ${safe(p.workspace.name)}${r.created.provider ? `, and the provider ${p.provider!.id}` : ''}.${p.skipped.length ? ` Skipped ${p.skipped.length} (see --dry-run).` : ''}`,
      );
    },
  },
];
