import type { HttpMethod } from '../domain/http-method';
import { pathIsWithin } from '../domain/path-template';
import type { CheckResult, EndpointAccess, Grant, WhoCanCallResult } from './decision';
import type { CoarseScopesModel } from './model';

type Level = CoarseScopesModel['levels'][number];

export function levelNames(model: CoarseScopesModel): string[] {
  return model.levels.map((l) => l.name);
}

/** The level and every level it includes, transitively (Admin → Write → Read). */
function closure(model: CoarseScopesModel, name: string): Level[] {
  const out: Level[] = [];
  let current = model.levels.find((l) => l.name === name);
  while (current && !out.includes(current)) {
    out.push(current);
    const next: string | undefined = current.includes;
    current = next === undefined ? undefined : model.levels.find((l) => l.name === next);
  }
  return out;
}

function neededLevel(model: CoarseScopesModel, method: string): Level | null {
  return model.levels.find((l) => (l.methods as string[]).includes(method)) ?? null;
}

function levelsIncluding(model: CoarseScopesModel, needed: Level): string[] {
  return model.levels.filter((l) => closure(model, l.name).includes(needed)).map((l) => l.name);
}

function inScope(model: CoarseScopesModel, path: string): boolean {
  return !model.paths || model.paths.some((p) => pathIsWithin(p, path));
}

function explain(level: Level): string {
  return level.description ? `${level.name}: ${level.description}` : level.name;
}

type Located = { ok: true; needed: Level; allowedBy: string[] } | { ok: false; rule: string };

function locate(model: CoarseScopesModel, method: string, path: string): Located {
  if (!inScope(model, path)) {
    return { ok: false, rule: `${model.label}: ${method} ${path} is outside the documented paths (${model.paths!.join(', ')})` };
  }
  const needed = neededLevel(model, method);
  if (!needed) return { ok: false, rule: `${model.label}: ${method} is not a method any documented level covers` };
  return { ok: true, needed, allowedBy: levelsIncluding(model, needed) };
}

export function checkCoarseScopes(model: CoarseScopesModel, grant: Grant, method: string, path: string): CheckResult {
  const where = locate(model, method, path);
  if (!where.ok) return { decision: 'unknown_endpoint', rule: where.rule, allowedBy: [], endpoint: null };
  const { needed, allowedBy } = where;
  const base = { allowedBy, endpoint: model.paths ? (model.paths.find((p) => pathIsWithin(p, path)) ?? null) : '*' };
  const granted = grant.scopes.find((s) => allowedBy.includes(s));
  if (granted) {
    const through = granted === needed.name ? '' : ` (${granted} includes ${needed.name})`;
    return { ...base, decision: 'allowed', rule: `${model.label}: ${granted} allows ${method}${through}; ${explain(needed)}` };
  }
  const has = grant.scopes.length ? `the token has ${grant.scopes.join(', ')}` : 'no scope is recorded for this token';
  return { ...base, decision: 'denied', rule: `${model.label}: ${method} needs ${allowedBy.join(' or ')} (${explain(needed)}); ${has}` };
}

export function coarseScopeEndpoints(model: CoarseScopesModel, grant: Grant): EndpointAccess[] {
  const levels = grant.scopes.flatMap((s) => closure(model, s));
  if (levels.length === 0) return [];
  const methods: HttpMethod[] = [];
  for (const l of model.levels) if (levels.includes(l)) methods.push(...l.methods);
  const via = `${grant.scopes.join(', ')}${levels.length > grant.scopes.length ? ` (includes ${levels.filter((l) => !grant.scopes.includes(l.name)).map((l) => l.name).join(', ')})` : ''}`;
  const paths = model.paths ?? ['*'];
  return paths.map((path) => ({ path, methods: [...methods], via, includesSubpaths: path !== '*' }));
}

export function whoCanCallCoarseScopes(model: CoarseScopesModel, method: string, path: string): WhoCanCallResult {
  const where = locate(model, method, path);
  if (!where.ok) return { known: false, endpoint: null, allowedBy: [], rule: where.rule };
  return {
    known: true,
    endpoint: model.paths ? (model.paths.find((p) => pathIsWithin(p, path)) ?? null) : '*',
    allowedBy: where.allowedBy,
    rule: `${model.label}: ${method} needs ${where.allowedBy.join(' or ')} (${explain(where.needed)})`,
  };
}
