import type { HttpMethod } from '../domain/http-method';
import { compilePathTemplate, pathIsWithin } from '../domain/path-template';
import type { CheckResult, EndpointAccess, Grant, WhoCanCallResult } from './decision';
import type { ScopeSetModel } from './model';

type Resource = ScopeSetModel['resources'][number];
type Action = ScopeSetModel['actions'][number];

/**
 * Resource paths are prefixes: the most specific (longest) resource that
 * contains the path wins, so `/api/v1/orders/ord_1` is an orders call.
 */
function findResource(model: ScopeSetModel, path: string): Resource | null {
  let best: Resource | null = null;
  for (const r of model.resources) {
    if (!pathIsWithin(r.path, path)) continue;
    if (!best || compilePathTemplate(r.path).segments.length > compilePathTemplate(best.path).segments.length) best = r;
  }
  return best;
}

function findAction(model: ScopeSetModel, method: string): Action | null {
  return model.actions.find((a) => (a.methods as string[]).includes(method)) ?? null;
}

/** The documented scopes that cover an action on a resource, specific one first. */
function coveringScopes(model: ScopeSetModel, action: string, resource: string): string[] {
  const names = model.scopes.map((s) => s.name);
  const specific = `${action}:${resource}`;
  if (!names.includes(specific)) return [];
  const wildcard = `${action}:*`;
  return names.includes(wildcard) ? [specific, wildcard] : [specific];
}

function resourceList(model: ScopeSetModel): string {
  return model.resources.map((r) => r.path).join(', ');
}

type Located =
  | { ok: true; resource: Resource; action: Action; covering: string[] }
  | { ok: false; rule: string; endpoint: string | null };

function locate(model: ScopeSetModel, method: string, path: string): Located {
  const resource = findResource(model, path);
  if (!resource) {
    return { ok: false, endpoint: null, rule: `${model.label}: ${method} ${path} is not under a documented resource (${resourceList(model)})` };
  }
  const action = findAction(model, method);
  if (!action) {
    const actions = model.actions.map((a) => `${a.name}: ${a.methods.join('/')}`).join('; ');
    return { ok: false, endpoint: resource.path, rule: `${model.label}: ${method} is not a method any documented scope covers (${actions})` };
  }
  return { ok: true, resource, action, covering: coveringScopes(model, action.name, resource.name) };
}

export function checkScopeSet(model: ScopeSetModel, grant: Grant, method: string, path: string): CheckResult {
  const where = locate(model, method, path);
  if (!where.ok) return { decision: 'unknown_endpoint', rule: where.rule, allowedBy: [], endpoint: where.endpoint };
  const { resource, action, covering } = where;
  const base = { allowedBy: covering, endpoint: resource.path };
  const on = `${method} on ${resource.name} (${resource.path})`;
  if (covering.length === 0) {
    return { ...base, decision: 'denied', rule: `${model.label}: no documented scope allows ${action.name} on ${resource.name}, so nothing allows ${method} there` };
  }
  const granted = covering.find((s) => grant.scopes.includes(s));
  if (granted) return { ...base, decision: 'allowed', rule: `${model.label}: ${granted} allows ${on}` };
  const has = grant.scopes.length ? `the token has ${grant.scopes.join(', ')}` : 'the token has no scopes recorded';
  return { ...base, decision: 'denied', rule: `${model.label}: ${on} needs ${covering.join(' or ')}; ${has}` };
}

export function scopeSetEndpoints(model: ScopeSetModel, grant: Grant): EndpointAccess[] {
  return model.resources.flatMap((resource) => {
    const methods: HttpMethod[] = [];
    const via: string[] = [];
    for (const action of model.actions) {
      const scope = coveringScopes(model, action.name, resource.name).find((s) => grant.scopes.includes(s));
      if (!scope) continue;
      methods.push(...action.methods);
      via.push(scope);
    }
    return methods.length ? [{ path: resource.path, methods, via: `scopes ${via.join(', ')}`, includesSubpaths: true }] : [];
  });
}

export function whoCanCallScopeSet(model: ScopeSetModel, method: string, path: string): WhoCanCallResult {
  const where = locate(model, method, path);
  if (!where.ok) return { known: false, endpoint: where.endpoint, allowedBy: [], rule: where.rule };
  const { resource, action, covering } = where;
  const rule = covering.length
    ? `${model.label}: ${method} on ${resource.name} (${resource.path}) needs ${covering.join(' or ')}`
    : `${model.label}: no documented scope allows ${action.name} on ${resource.name}`;
  return { known: true, endpoint: resource.path, allowedBy: covering, rule };
}
