import { VaultError } from '../../../src-shared/errors';
import { baseUrlVarName, ENV_VAR_NAME, tokenVarName } from '../../../src-shared/domain/env-vars';
import { parseCredentialRef } from '../../../src-shared/domain/ref';
import { isCorrupt, type CredentialSummary, type Environment, type Workspace } from '../../../src-shared/domain/types';
import type { Vault } from '../../vault/vault';

/** How `exec` and `env` choose tokens: `--workspace W [--env E] --all` and/or `--map VAR=REF`. */
export interface Selection {
  workspace?: string;
  env?: string;
  maps: string[];
  all: boolean;
}

export interface ChosenToken {
  variable: string;
  credential: CredentialSummary;
  workspace: Workspace;
  environment: Environment;
}

export interface ChosenVariables {
  tokens: ChosenToken[];
  /** Base URLs, one per environment involved: `ACME_PRODUCTION_BASE_URL`. */
  baseUrls: { variable: string; environment: Environment; workspace: Workspace }[];
}

function where(ws: Workspace, env: Environment, c?: CredentialSummary): string {
  return c ? `${ws.name}/${env.name}/${c.name}` : `${ws.name}/${env.name}`;
}

/**
 * Resolves a selection to variable names (no value is read here). A `--map`
 * REF is WORKSPACE/ENV/NAME, a token id, ENV/NAME under `--workspace`, or NAME
 * under `--workspace` and `--env`. Throws USAGE for an empty or malformed
 * selection, NOT_FOUND for an unknown name, CORRUPT for a record that does not
 * authenticate, CONFLICT when two tokens (or base URLs) land on one variable.
 */
export function selectTokens(vault: Vault, sel: Selection): ChosenVariables {
  if (!sel.all && sel.maps.length === 0) {
    throw new VaultError('USAGE', 'Choose tokens with --all (every token of --workspace [--env]) or --map VAR=REF.');
  }
  if (sel.all && sel.workspace === undefined) throw new VaultError('USAGE', '--all needs --workspace W (and optionally --env E).');
  if (sel.env !== undefined && sel.workspace === undefined) throw new VaultError('USAGE', '--env needs --workspace.');
  const ws = sel.workspace !== undefined ? vault.findWorkspace(sel.workspace) : null;
  const scopedEnv = ws && sel.env !== undefined ? vault.findEnvironment(ws.id, sel.env) : null;

  const wsCache = new Map<string, Workspace>();
  const envCache = new Map<string, Environment>();
  const wsOf = (id: string) => wsCache.get(id) ?? wsCache.set(id, vault.getWorkspace(id)).get(id)!;
  const envOf = (id: string) => envCache.get(id) ?? envCache.set(id, vault.getEnvironment(id)).get(id)!;

  const chosen: ChosenToken[] = [];
  const add = (variable: string, c: CredentialSummary) => chosen.push({ variable, credential: c, workspace: wsOf(c.workspaceId), environment: envOf(c.environmentId) });

  for (const m of sel.maps) {
    const eq = m.indexOf('=');
    const variable = eq > 0 ? m.slice(0, eq) : '';
    const ref = eq > 0 ? m.slice(eq + 1) : '';
    if (!ENV_VAR_NAME.test(variable) || ref.trim() === '') {
      throw new VaultError('USAGE', `--map takes VAR=REF with VAR a variable name (letters, digits, _) — got "${m}".`);
    }
    add(variable, resolveMapRef(vault, ref, ws, scopedEnv));
  }

  if (sel.all && ws) {
    const list = vault.listCredentials(scopedEnv ? { environmentId: scopedEnv.id } : { workspaceId: ws.id });
    for (const c of list) {
      if (isCorrupt(c)) throw new VaultError('CORRUPT', `Token ${c.id} does not authenticate (CORRUPT); nothing was run.`, { details: { id: c.id } });
      // A revoked token with its value wiped has nothing to give.
      if (!c.hasValue) continue;
      const env = envOf(c.environmentId);
      const variable = tokenVarName(ws.name, env.name, c.name);
      if (variable === null) {
        throw new VaultError('USAGE', `"${where(ws, env, c)}" has no usable letters for a variable name: map it with --map VAR=${c.id}.`);
      }
      add(variable, c);
    }
  }

  // One variable, one token: the same token twice under one name is fine, two tokens are not.
  const byVar = new Map<string, ChosenToken>();
  const unique: ChosenToken[] = [];
  for (const t of chosen) {
    const prev = byVar.get(t.variable);
    if (prev && prev.credential.id !== t.credential.id) {
      throw new VaultError(
        'CONFLICT',
        `${where(prev.workspace, prev.environment, prev.credential)} and ${where(t.workspace, t.environment, t.credential)} both map to ${t.variable}: name one of them with --map VAR=REF.`,
      );
    }
    if (!prev) {
      byVar.set(t.variable, t);
      unique.push(t);
    }
  }

  const baseUrls: ChosenVariables['baseUrls'] = [];
  const seenEnv = new Set<string>();
  const baseOwner = new Map<string, Environment>();
  for (const t of unique) {
    if (seenEnv.has(t.environment.id)) continue;
    seenEnv.add(t.environment.id);
    const variable = baseUrlVarName(t.workspace.name, t.environment.name);
    if (variable === null) continue;
    const clash = byVar.get(variable);
    if (clash) throw new VaultError('CONFLICT', `${where(clash.workspace, clash.environment, clash.credential)} maps to ${variable}, the base URL of ${where(t.workspace, t.environment)}: name it with --map.`);
    const other = baseOwner.get(variable);
    if (other) throw new VaultError('CONFLICT', `${where(wsOf(other.workspaceId), other)} and ${where(t.workspace, t.environment)} both map to ${variable}.`);
    baseOwner.set(variable, t.environment);
    baseUrls.push({ variable, environment: t.environment, workspace: t.workspace });
  }
  return { tokens: unique, baseUrls };
}

function resolveMapRef(vault: Vault, ref: string, ws: Workspace | null, env: Environment | null): CredentialSummary {
  const full = parseCredentialRef(ref);
  if (full) return vault.resolveCredential(full);
  const parts = ref.split('/');
  if (parts.length === 2 && ws) return vault.resolveCredential({ workspace: ws.id, environment: parts[0]!, name: parts[1]! });
  if (parts.length === 1 && ws && env) return vault.resolveCredential({ workspace: ws.id, environment: env.id, name: parts[0]! });
  throw new VaultError(
    'USAGE',
    `"${ref}" is not a token reference: use WORKSPACE/ENV/NAME or a token id, ENV/NAME with --workspace, or NAME with --workspace and --env.`,
  );
}

/**
 * The production guard: mapping a production token into a process (or onto
 * a screen) asks on a terminal, and needs `--yes` where there is none.
 * Throws PRODUCTION_LOCKED when refused or unconfirmed.
 */
export async function confirmProduction(
  chosen: ChosenVariables,
  opts: { yes: boolean; interactive: boolean; ask: (question: string) => Promise<string>; what: string },
): Promise<void> {
  const prod = chosen.tokens.filter((t) => t.environment.production);
  if (prod.length === 0 || opts.yes) return;
  const names = prod.map((t) => where(t.workspace, t.environment, t.credential)).join(', ');
  if (!opts.interactive) {
    throw new VaultError('PRODUCTION_LOCKED', `Refused: ${names} ${prod.length === 1 ? 'is a production token' : 'are production tokens'}; pass --yes to ${opts.what} without a terminal to confirm on.`);
  }
  const answer = await opts.ask(`${names} ${prod.length === 1 ? 'is a PRODUCTION token' : 'are PRODUCTION tokens'}. ${opts.what[0]!.toUpperCase()}${opts.what.slice(1)}? Type yes: `);
  if (answer.trim().toLowerCase() !== 'yes') throw new VaultError('PRODUCTION_LOCKED', 'Not confirmed; nothing was run.');
}
