import { VaultError } from '../../../src-shared/errors';
import { parseScopeRef } from '../../../src-shared/domain/ref';
import { DurationInput, ExpiryDateInput, RotationInput, type CredentialPatch, type EnvironmentPatch, type WorkspacePatch } from '../../../src-shared/domain/schemas';
import type { Environment, Workspace } from '../../../src-shared/domain/types';
import type { Vault } from '../../vault/vault';
import { parseInput } from '../../vault/validate';
import { moveCredential, moveNeedsConfirmation } from '../../services/credential-move';
import { sameValueWarnings } from '../../services/value-warnings';
import type { CommandSpec } from '../args';
import type { Context } from '../context';
import { confirm } from '../confirm';
import { safe, plural } from '../format';
import { withFlagHints } from '../flag-hints';
import { resolveRef } from './token-commands';

type Command = CommandSpec & { run(ctx: Context): Promise<void> };

function envRef(vault: Vault, text: string): { ws: Workspace; env: Environment } {
  const scope = parseScopeRef(text);
  if (!scope?.environment) throw new VaultError('USAGE', `"${text}" is not an environment: use WORKSPACE/ENV, such as "Acme/sandbox".`);
  const ws = vault.findWorkspace(scope.workspace);
  return { ws, env: vault.findEnvironment(ws.id, scope.environment) };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function noChange(usage: string): VaultError {
  return new VaultError('USAGE', `Nothing to change: give at least one option. Usage: tokenvault ${usage}`);
}

const WORKSPACE_EDIT = 'workspace edit NAME [--name NEW] [--provider ID] [--color #RRGGBB] [--notes TEXT]';
const ENV_EDIT = 'env edit WORKSPACE/ENV [--name NEW] [--base-url URL] [--production | --no-production] [--yes]';
const TOKEN_EDIT =
  'token edit REF [--name N] [--description T] [--notes T] [--tag T]... [--no-tags] [--role R | --no-role] [--scopes a,b] [--token-type T | --no-token-type] [--header NAME] [--expires DATE | --duration 30d | --never-expires] [--rotate-every 90d | --no-rotation] [--remote-id ID | --no-remote-id]';

async function editWorkspace(ctx: Context, nameOrId: string, patch: WorkspacePatch): Promise<void> {
  const vault = await ctx.unlocked();
  const ws = vault.findWorkspace(nameOrId);
  const updated = ctx.catalog().updateWorkspace(ws.id, patch);
  const renamed = updated.name !== ws.name ? ` (was ${safe(ws.name)})` : '';
  ctx.out.result(updated, `Updated workspace ${safe(updated.name)}${renamed}.`);
}

export const manageCommands: Command[] = [
  {
    words: ['workspace', 'rename'],
    usage: 'workspace rename NAME NEW_NAME',
    summary: 'Rename a workspace (audited)',
    options: {},
    fields: { name: 'NEW_NAME' },
    positionals: [2, 2],
    async run(ctx) {
      await editWorkspace(ctx, ctx.positionals[0]!, { name: ctx.positionals[1]! });
    },
  },
  {
    words: ['workspace', 'edit'],
    usage: WORKSPACE_EDIT,
    summary: "Change a workspace's name, provider, colour or notes (audited)",
    options: { name: { type: 'string' }, provider: { type: 'string', field: 'providerId' }, color: { type: 'string' }, notes: { type: 'string' } },
    positionals: [1, 1],
    async run(ctx) {
      const v = ctx.values;
      const patch: WorkspacePatch = {};
      if (str(v.name) !== undefined) patch.name = str(v.name)!;
      if (str(v.provider) !== undefined) patch.providerId = str(v.provider)!;
      if (str(v.color) !== undefined) patch.color = str(v.color)!;
      if (str(v.notes) !== undefined) patch.notes = str(v.notes)!;
      if (Object.keys(patch).length === 0) throw noChange(WORKSPACE_EDIT);
      await editWorkspace(ctx, ctx.positionals[0]!, patch);
    },
  },
  {
    words: ['workspace', 'rm'],
    usage: 'workspace rm NAME [--yes]',
    summary: 'Delete a workspace with its environments and tokens (asks for its name; --yes for scripts)',
    options: { yes: { type: 'boolean', short: 'y' } },
    positionals: [1, 1],
    async run(ctx) {
      const vault = await ctx.unlocked();
      const w = vault.findWorkspace(ctx.positionals[0]!);
      const { environments: envs, credentials: tokens } = vault.workspaceUsage(w.id);
      await confirm(ctx, `Delete workspace ${safe(w.name)} with its ${plural(envs, 'environment')} and ${plural(tokens, 'token')}? Tokens stay valid at their providers.`, w.name);
      vault.removeWorkspace(w.id);
      ctx.out.result({ deleted: w.id, environments: envs, credentials: tokens }, `Deleted workspace ${safe(w.name)} with ${plural(envs, 'environment')} and ${plural(tokens, 'token')}.`);
    },
  },
  {
    words: ['env', 'edit'],
    usage: ENV_EDIT,
    summary: "Rename an environment, change its base URL, or mark/unmark it production (audited; unmarking asks for its name)",
    options: {
      name: { type: 'string' },
      'base-url': { type: 'string' },
      production: { type: 'boolean' },
      'no-production': { type: 'boolean' },
      yes: { type: 'boolean', short: 'y' },
    },
    positionals: [1, 1],
    async run(ctx) {
      const v = ctx.values;
      if (v.production === true && v['no-production'] === true) throw new VaultError('USAGE', 'Give either --production or --no-production, not both.');
      const patch: EnvironmentPatch = {};
      if (str(v.name) !== undefined) patch.name = str(v.name)!;
      if (str(v['base-url']) !== undefined) patch.baseUrl = str(v['base-url'])!;
      if (v.production === true) patch.production = true;
      if (v['no-production'] === true) patch.production = false;
      if (Object.keys(patch).length === 0) throw noChange(ENV_EDIT);
      const vault = await ctx.unlocked();
      const { ws, env } = envRef(vault, ctx.positionals[0]!);
      if (patch.production === false && env.production) {
        // Lowering the guard: the red band and the arming go away for its tokens.
        await confirm(ctx, `${safe(ws.name)}/${safe(env.name)} is PRODUCTION; unmarking it removes the production guard from its tokens.`, env.name);
      }
      const updated = vault.updateEnvironment(env.id, patch);
      ctx.out.result(
        updated,
        `Updated ${updated.production ? 'PRODUCTION ' : ''}environment ${safe(ws.name)}/${safe(updated.name)} → ${updated.baseUrl}`,
      );
    },
  },
  {
    words: ['env', 'rm'],
    usage: 'env rm WORKSPACE/ENV [--yes]',
    summary: 'Delete an environment with its tokens (asks first; --yes for scripts)',
    options: { yes: { type: 'boolean', short: 'y' } },
    positionals: [1, 1],
    async run(ctx) {
      const vault = await ctx.unlocked();
      const { ws, env } = envRef(vault, ctx.positionals[0]!);
      const tokens = vault.listCredentials({ environmentId: env.id }).length;
      await confirm(ctx, `Delete environment ${safe(ws.name)}/${safe(env.name)} with its ${plural(tokens, 'token')}?`, env.production ? env.name : undefined);
      vault.removeEnvironment(env.id);
      ctx.out.result({ deleted: env.id, credentials: tokens }, `Deleted environment ${safe(ws.name)}/${safe(env.name)} with ${plural(tokens, 'token')}.`);
    },
  },
  {
    words: ['token', 'edit'],
    usage: TOKEN_EDIT,
    summary: "Change any of a token's details except its value (audited); --remote-id links it to the provider's own id",
    options: {
      name: { type: 'string' },
      description: { type: 'string' },
      notes: { type: 'string' },
      tag: { type: 'string', multiple: true, field: 'tags' },
      'no-tags': { type: 'boolean' },
      role: { type: 'string' },
      'no-role': { type: 'boolean' },
      scopes: { type: 'string' },
      'token-type': { type: 'string' },
      'no-token-type': { type: 'boolean' },
      header: { type: 'string', field: 'headerName' },
      expires: { type: 'string', field: ['expiresAt', 'expiresOn'] },
      duration: { type: 'string', field: 'expiresAfter' },
      'never-expires': { type: 'boolean' },
      'rotate-every': { type: 'string', field: 'rotationDays' },
      'no-rotation': { type: 'boolean' },
      'remote-id': { type: 'string' },
      'no-remote-id': { type: 'boolean' },
    },
    positionals: [1, 1],
    async run(ctx) {
      const v = ctx.values;
      const both = (a: string, b: string) => {
        if (v[a] !== undefined && v[b] !== undefined) throw new VaultError('USAGE', `Give either --${a} or --${b}, not both.`);
      };
      both('role', 'no-role');
      both('token-type', 'no-token-type');
      both('rotate-every', 'no-rotation');
      both('remote-id', 'no-remote-id');
      both('tag', 'no-tags');
      if ([v.expires, v.duration, v['never-expires']].filter((x) => x !== undefined).length > 1) {
        throw new VaultError('USAGE', 'Give one of --expires DATE, --duration or --never-expires.');
      }
      const patch: CredentialPatch = {};
      if (str(v.name) !== undefined) patch.name = str(v.name)!;
      if (str(v.description) !== undefined) patch.description = str(v.description)!;
      if (str(v.notes) !== undefined) patch.notes = str(v.notes)!;
      if (Array.isArray(v.tag)) patch.tags = v.tag;
      if (v['no-tags'] === true) patch.tags = [];
      if (str(v.role) !== undefined) patch.role = str(v.role)!;
      if (v['no-role'] === true) patch.role = null;
      if (str(v.scopes) !== undefined) patch.scopes = str(v.scopes)!.split(',').map((s) => s.trim()).filter(Boolean);
      if (str(v['token-type']) !== undefined) patch.tokenType = str(v['token-type'])!;
      if (v['no-token-type'] === true) patch.tokenType = null;
      if (str(v.header) !== undefined) patch.headerName = str(v.header)!;
      // The same rules as `token add`: a date-only --expires is a calendar date, a
      // --duration counts calendar units in the user's zone (services/expiry-service).
      if (str(v.expires) !== undefined) {
        const e = parseInput(ExpiryDateInput, v.expires, '--expires');
        if ('date' in e) patch.expiresOn = e.date;
        else patch.expiresAt = e.at;
      }
      if (str(v.duration) !== undefined) {
        parseInput(DurationInput, v.duration, '--duration');
        patch.expiresAfter = String(v.duration);
      }
      if (v['never-expires'] === true) patch.expiresAt = null;
      if (str(v['rotate-every']) !== undefined) patch.rotationDays = parseInput(RotationInput, v['rotate-every'], '--rotate-every');
      if (v['no-rotation'] === true) patch.rotationDays = null;
      if (str(v['remote-id']) !== undefined) patch.remoteId = str(v['remote-id'])!;
      if (v['no-remote-id'] === true) patch.remoteId = null;
      if (Object.keys(patch).length === 0) throw noChange(TOKEN_EDIT);
      const vault = await ctx.unlocked();
      const c = resolveRef(vault, ctx.positionals[0]!);
      const updated = withFlagHints(() => ctx.catalog().updateCredential(c.id, patch));
      ctx.out.result(updated, `Updated ${safe(updated.name)} (${updated.fingerprint}): ${Object.keys(patch).join(', ')}.`);
    },
  },
  {
    words: ['token', 'mv'],
    usage: 'token mv REF WORKSPACE/ENV[/NAME] [--yes]',
    summary: 'Move a token to another environment or workspace, optionally renamed (into production asks for the workspace name; --yes for scripts)',
    options: { yes: { type: 'boolean', short: 'y' } },
    fields: { name: 'NEW_NAME (in WORKSPACE/ENV/NEW_NAME)' },
    positionals: [2, 2],
    async run(ctx) {
      const vault = await ctx.unlocked();
      const c = resolveRef(vault, ctx.positionals[0]!);
      const target = ctx.positionals[1]!;
      const parts = target.split('/');
      if (parts.length < 2 || parts.length > 3 || parts.some((p) => p.trim() === '')) {
        throw new VaultError('USAGE', `"${target}" is not a place to move to: use WORKSPACE/ENV or WORKSPACE/ENV/NEW_NAME.`);
      }
      const { ws, env } = envRef(vault, `${parts[0]}/${parts[1]}`);
      const name = parts[2];
      let confirmName: string | undefined;
      if (moveNeedsConfirmation(vault, c.id, env.id)) {
        await confirm(ctx, `${safe(ws.name)}/${safe(env.name)} is PRODUCTION: requests with ${safe(c.name)} will go to live systems.`, ws.name);
        confirmName = ws.name; // --yes or the typed name is the confirmation
      }
      const moved = moveCredential(vault, {
        credentialId: c.id,
        environmentId: env.id,
        ...(name !== undefined ? { name } : {}),
        ...(confirmName !== undefined ? { confirmName } : {}),
      });
      const warnings = sameValueWarnings(vault, moved.id);
      for (const w of warnings) ctx.out.info(`WARNING: ${safe(w.message)}`);
      ctx.out.result(warnings.length ? { ...moved, warnings } : moved, `Moved ${safe(c.name)} (${moved.fingerprint}) to ${safe(ws.name)}/${safe(env.name)}/${safe(moved.name)}${env.production ? ' (PRODUCTION)' : ''}.`);
    },
  },
];
