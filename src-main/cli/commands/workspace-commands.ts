import { VaultError } from '../../../src-shared/errors';
import { isCorrupt } from '../../../src-shared/domain/types';
import type { Vault } from '../../vault/vault';
import type { CommandSpec } from '../args';
import type { Context } from '../context';
import { safe, table } from '../format';
import { quotePosix } from '../../../src-shared/domain/env-vars';

function corruptLine(table_: string, id: string) {
  return [`CORRUPT ${table_.replace(/s$/, '')} ${id}`];
}

/** An environment of that name exists (often one a provider preset added): say how to change it instead. */
function conflictHint(e: unknown, vault: Vault, workspaceId: string, workspaceName: string, name: string): unknown {
  if (!(e instanceof VaultError) || e.code !== 'CONFLICT') return e;
  let existing;
  try {
    existing = vault.findEnvironment(workspaceId, name);
  } catch {
    return e;
  }
  return new VaultError(
    'CONFLICT',
    `${workspaceName} already has an environment named "${existing.name}"${existing.production ? ' (PRODUCTION)' : ''} → ${existing.baseUrl}. ` +
      `To change it instead: tokenvault env edit "${workspaceName}/${existing.name}" --base-url URL${existing.production ? '' : ' [--production]'}`,
    { details: { name: existing.name } },
  );
}

export const workspaceCommands: (CommandSpec & { run(ctx: Context): Promise<void> })[] = [
  {
    words: ['workspace', 'add'],
    usage: 'workspace add NAME [--provider ID] [--no-environments] [--color #RRGGBB] [--notes TEXT]',
    summary: 'Add a workspace (a tenant: holding, company, business)',
    options: {
      provider: { type: 'string', valueName: 'ID', field: 'providerId' },
      // issue 12: a provider's preset environments are optional; skip them to add your own.
      'no-environments': { type: 'boolean', description: "skip the provider's preset environments (add your own with env add)" },
      color: { type: 'string', valueName: '#RRGGBB' },
      notes: { type: 'string', valueName: 'TEXT' },
    },
    fields: { name: 'NAME' },
    positionals: [1, 1],
    async run(ctx) {
      await ctx.unlocked();
      const { workspace: w, environments } = ctx.catalog().addWorkspace(
        {
          name: ctx.positionals[0],
          ...(ctx.values.provider !== undefined ? { providerId: ctx.values.provider } : {}),
          ...(ctx.values.color !== undefined ? { color: ctx.values.color } : {}),
          ...(ctx.values.notes !== undefined ? { notes: ctx.values.notes } : {}),
        },
        ctx.values['no-environments'] === true ? [] : undefined,
      );
      ctx.out.result({ ...w, environments }, () =>
        [
          `Added workspace ${safe(w.name)} (${w.id}).`,
          ...environments.map((e) => `  with environment ${safe(e.name)}${e.production ? ' (PRODUCTION)' : ''} → ${e.baseUrl}`),
        ].join('\n'),
      );
    },
  },
  {
    words: ['workspace', 'list'],
    usage: 'workspace list',
    summary: 'List workspaces',
    options: {},
    positionals: [0, 0],
    async run(ctx) {
      const vault = await ctx.unlocked();
      const list = vault.listWorkspaces();
      ctx.out.result(list, () =>
        table(
          ['NAME', 'PROVIDER', 'ID'],
          list.map((w) => (isCorrupt(w) ? corruptLine(w.table, w.id) : [safe(w.name), w.providerId ?? '—', w.id])),
        ) || 'No workspaces yet. Add one with: tokenvault workspace add NAME',
      );
    },
  },
  {
    words: ['env', 'add'],
    usage: 'env add WORKSPACE NAME --base-url URL [--production]',
    summary: 'Add an environment (sandbox, production…) to a workspace',
    options: { 'base-url': { type: 'string', required: true, valueName: 'URL' }, production: { type: 'boolean' } },
    fields: { name: 'NAME' },
    positionals: [2, 2],
    async run(ctx) {
      const vault = await ctx.unlocked();
      const ws = vault.findWorkspace(ctx.positionals[0]!);
      let env;
      try {
        env = vault.addEnvironment({
          workspaceId: ws.id,
          name: ctx.positionals[1],
          baseUrl: ctx.values['base-url'] ?? '',
          production: ctx.values.production === true,
        });
      } catch (e) {
        throw conflictHint(e, vault, ws.id, ws.name, ctx.positionals[1]!);
      }
      ctx.out.result(env, `Added ${env.production ? 'PRODUCTION ' : ''}environment ${safe(ws.name)}/${safe(env.name)} → ${env.baseUrl}`);
    },
  },
  {
    words: ['env', 'list'],
    usage: 'env list WORKSPACE',
    summary: "List a workspace's environments",
    options: {},
    positionals: [1, 1],
    async run(ctx) {
      const vault = await ctx.unlocked();
      const ws = vault.findWorkspace(ctx.positionals[0]!);
      const list = vault.listEnvironments(ws.id);
      ctx.out.result(list, () =>
        table(
          ['NAME', 'PRODUCTION', 'BASE URL', 'ID'],
          list.map((e) => (isCorrupt(e) ? corruptLine(e.table, e.id) : [safe(e.name), e.production ? 'yes' : 'no', e.baseUrl, e.id])),
        ) || `No environments in ${safe(ws.name)} yet. Add one with: tokenvault env add ${quotePosix(safe(ws.name))} sandbox --base-url URL`,
      );
    },
  },
];
