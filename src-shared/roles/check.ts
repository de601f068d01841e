import { parseHttpMethod } from '../domain/http-method';
import { normalizeRequestPath } from '../domain/path-template';
import type { CredentialKind } from '../domain/schemas';
import type { CheckResult, EndpointAccess, GrantInput, WhoCanCallResult } from './decision';
import { resolveGrant } from './grant';
import type { PermissionModel } from './model';
import { checkRoleMatrix, roleMatrixEndpoints, whoCanCallRoleMatrix } from './role-matrix';
import { checkScopeSet, scopeSetEndpoints, whoCanCallScopeSet } from './scope-set';
import { checkTokenTypes, tokenTypeEndpoints, whoCanCallTokenTypes } from './token-types';
import { checkCoarseScopes, coarseScopeEndpoints, whoCanCallCoarseScopes } from './coarse-scopes';

const NO_MODEL = 'this provider has no documented permission model';

function normalizeMethod(method: string): string {
  return parseHttpMethod(method) ?? method.trim().toUpperCase();
}

/**
 * May a credential with this grant call `method path`? Decided only by the
 * provider's documents: a call the model does not describe is
 * `unknown_endpoint`, never a silent allow. Names in the grant are matched
 * case-insensitively; a name the model does not know counts for nothing, and
 * the rule says so.
 */
export function check(model: PermissionModel | null | undefined, grant: GrantInput, method: string, path: string): CheckResult {
  const m = normalizeMethod(method);
  const p = normalizeRequestPath(path);
  if (!model) return { decision: 'unknown_endpoint', rule: `${m} ${p}: ${NO_MODEL}`, allowedBy: [], endpoint: null };
  const { grant: g, issues } = resolveGrant(model, grant);
  const result = evaluate(model, g, m, p);
  if (result.decision === 'denied' && issues.length > 0) {
    result.rule += ` (ignored: ${issues.map((i) => i.message).join('; ')})`;
  }
  return result;
}

function evaluate(model: PermissionModel, grant: ReturnType<typeof resolveGrant>['grant'], method: string, path: string): CheckResult {
  switch (model.kind) {
    case 'role_matrix':
      return checkRoleMatrix(model, grant, method, path);
    case 'scope_set':
      return checkScopeSet(model, grant, method, path);
    case 'token_types':
      return checkTokenTypes(model, grant, method, path);
    case 'coarse_scopes':
      return checkCoarseScopes(model, grant, method, path);
  }
}

/** "What can this token do?": every documented endpoint the grant reaches, with its methods. */
export function allowedEndpoints(model: PermissionModel | null | undefined, grant: GrantInput): EndpointAccess[] {
  if (!model) return [];
  const { grant: g } = resolveGrant(model, grant);
  switch (model.kind) {
    case 'role_matrix':
      return roleMatrixEndpoints(model, g);
    case 'scope_set':
      return scopeSetEndpoints(model, g);
    case 'token_types':
      return tokenTypeEndpoints(model, g);
    case 'coarse_scopes':
      return coarseScopeEndpoints(model, g);
  }
}

/** "Who can call this?": the roles, scopes, token types or levels that allow `method path`. */
export function whoCanCall(model: PermissionModel | null | undefined, method: string, path: string): WhoCanCallResult {
  const m = normalizeMethod(method);
  const p = normalizeRequestPath(path);
  if (!model) return { known: false, endpoint: null, allowedBy: [], rule: `${m} ${p}: ${NO_MODEL}` };
  switch (model.kind) {
    case 'role_matrix':
      return whoCanCallRoleMatrix(model, m, p);
    case 'scope_set':
      return whoCanCallScopeSet(model, m, p);
    case 'token_types':
      return whoCanCallTokenTypes(model, m, p);
    case 'coarse_scopes':
      return whoCanCallCoarseScopes(model, m, p);
  }
}

/**
 * Whether the model speaks for credentials of this kind. Regen Therapy's
 * scopes are for API keys; its JWT sessions carry a user role the documents
 * do not map to endpoints, so a check for them means little.
 */
export function modelAppliesTo(model: PermissionModel | null | undefined, kind: CredentialKind): boolean {
  return !!model && (!model.appliesTo || model.appliesTo.includes(kind));
}
