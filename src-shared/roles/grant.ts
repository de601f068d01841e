import type { PermissionModel } from './model';
import type { Grant, GrantField, GrantInput } from './decision';
import { nameKey, resolveName } from './names';
import { CONTENT_TYPE_PERMISSION, resolvePermission, tokenTypeNames } from './token-types';
import { levelNames } from './coarse-scopes';

/** Splits `read:orders,write:*` (or an array of such strings) into single names. */
export function splitScopes(scopes: GrantInput['scopes']): { name: string; entry: number }[] {
  if (scopes === null || scopes === undefined) return [];
  const entries = typeof scopes === 'string' ? [scopes] : scopes;
  return entries.flatMap((entry, i) =>
    entry
      .split(/[\s,]+/)
      .filter((s) => s !== '')
      .map((name) => ({ name, entry: i })),
  );
}

function blankToNull(s: string | null | undefined): string | null {
  const t = s?.normalize('NFC').trim();
  return t ? t : null;
}

export interface GrantIssue {
  /** `role`, `tokenType` or `scopes[i]` (the index of the entry as given). */
  path: string;
  message: string;
  /** The documented names that would be accepted here. */
  known: string[];
}

export type GrantValidation =
  | { ok: true; grant: Grant; /** Fields the model does not decide by; kept as given. */ ignored: GrantField[] }
  | { ok: false; issues: GrantIssue[] };

/** The grant fields each kind of model decides by. */
export function fieldsUsedBy(model: PermissionModel): GrantField[] {
  switch (model.kind) {
    case 'role_matrix':
      return ['role'];
    case 'scope_set':
      return ['scopes'];
    case 'token_types':
      return ['tokenType', 'scopes'];
    case 'coarse_scopes':
      return ['scopes'];
  }
}

export function scopeNames(model: PermissionModel): string[] {
  switch (model.kind) {
    case 'role_matrix':
      return [];
    case 'scope_set':
      return model.scopes.map((s) => s.name);
    case 'token_types':
      return [];
    case 'coarse_scopes':
      return levelNames(model);
  }
}

/**
 * Resolves every name to its documented spelling (case-insensitively); the
 * names that match nothing are dropped from `grant` and listed in `issues`.
 * `check` uses the lenient half, `validateGrant` refuses on any issue.
 */
export function resolveGrant(model: PermissionModel | null | undefined, input: GrantInput): { grant: Grant; issues: GrantIssue[]; ignored: GrantField[] } {
  const raw: Grant = {
    role: blankToNull(input.role),
    scopes: splitScopes(input.scopes).map((s) => s.name.normalize('NFC')),
    tokenType: blankToNull(input.tokenType),
  };
  if (!model) return { grant: { ...raw, scopes: dedupe(raw.scopes) }, issues: [], ignored: [] };

  const used = fieldsUsedBy(model);
  const ignored = (['role', 'scopes', 'tokenType'] as const).filter(
    (f) => !used.includes(f) && (f === 'scopes' ? raw.scopes.length > 0 : raw[f] !== null),
  );
  const grant: Grant = {
    role: used.includes('role') ? null : raw.role,
    scopes: used.includes('scopes') ? [] : raw.scopes,
    tokenType: used.includes('tokenType') ? null : raw.tokenType,
  };
  const issues: GrantIssue[] = [];

  if (model.kind === 'role_matrix' && raw.role !== null) {
    grant.role = resolveName(model.roles, raw.role);
    if (grant.role === null) {
      issues.push({ path: 'role', message: `"${raw.role}" is not a role in the ${model.label}`, known: [...model.roles] });
    }
  }

  if (model.kind === 'token_types' && raw.tokenType !== null) {
    const type = model.types.find((t) => nameKey(t.name) === nameKey(raw.tokenType!) || nameKey(t.label) === nameKey(raw.tokenType!));
    grant.tokenType = type?.name ?? null;
    if (!type) {
      issues.push({ path: 'tokenType', message: `"${raw.tokenType}" is not a token type in the ${model.label}`, known: tokenTypeNames(model) });
    }
  }

  if (used.includes('scopes')) {
    const known = scopeNames(model);
    for (const { name, entry } of splitScopes(input.scopes)) {
      if (model.kind === 'token_types') {
        const perm = resolvePermission(model, name);
        if (perm) grant.scopes.push(perm);
        else {
          issues.push({
            path: `scopes[${entry}]`,
            message: `"${name}" is not a permission such as ${CONTENT_TYPE_PERMISSION} (actions: ${model.actions.map((a) => a.name).join(', ')})`,
            known: model.actions.map((a) => a.name),
          });
        }
        continue;
      }
      const resolved = resolveName(known, name);
      if (resolved) grant.scopes.push(resolved);
      else issues.push({ path: `scopes[${entry}]`, message: `"${name}" is not a scope in the ${model.label}`, known });
    }
    grant.scopes = dedupe(grant.scopes);
  }

  if (model.kind === 'token_types' && grant.scopes.length > 0) {
    const type = model.types.find((t) => t.name === grant.tokenType);
    if (type && type.grants !== 'permissions') {
      const custom = model.types.find((t) => t.grants === 'permissions');
      issues.push({
        path: 'scopes',
        message: `per-content-type permissions only apply to ${custom ? `a ${custom.label} token` : 'custom tokens'}, not ${type.label}`,
        known: [],
      });
    }
  }

  return { grant, issues, ignored };
}

function dedupe(names: string[]): string[] {
  return [...new Set(names)];
}

/**
 * Checks a grant against a model: every role, scope and token type must be
 * one the model documents (matched case-insensitively) and comes back in the
 * documented spelling. A generic provider (no model) accepts any grant.
 */
export function validateGrant(model: PermissionModel | null | undefined, input: GrantInput): GrantValidation {
  const { grant, issues, ignored } = resolveGrant(model, input);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, grant, ignored };
}

export interface GrantFieldSpec {
  field: GrantField;
  label: string;
  multiple: boolean;
  /** The documented names to pick from; empty when the values are free-form. */
  options: string[];
  /** For free-form values: how one looks. */
  example?: string;
}

/** What a form should ask for, per model: the fields it decides by and their documented values. */
export function grantFields(model: PermissionModel | null | undefined): GrantFieldSpec[] {
  if (!model) {
    return [
      { field: 'role', label: 'Role', multiple: false, options: [] },
      { field: 'scopes', label: 'Scopes', multiple: true, options: [] },
    ];
  }
  switch (model.kind) {
    case 'role_matrix':
      return [{ field: 'role', label: 'Role', multiple: false, options: [...model.roles] }];
    case 'scope_set':
      return [{ field: 'scopes', label: 'Scopes', multiple: true, options: scopeNames(model) }];
    case 'token_types':
      return [
        { field: 'tokenType', label: 'Token type', multiple: false, options: tokenTypeNames(model) },
        { field: 'scopes', label: 'Permissions (custom tokens)', multiple: true, options: [], example: `articles.${model.actions[0]!.name}` },
      ];
    case 'coarse_scopes':
      return [{ field: 'scopes', label: 'Scope', multiple: false, options: levelNames(model) }];
  }
}
