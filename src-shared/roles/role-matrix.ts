import type { HttpMethod } from '../domain/http-method';
import { bestMatch, compilePathTemplate, type PathTemplate } from '../domain/path-template';
import type { CheckResult, EndpointAccess, Grant, WhoCanCallResult } from './decision';
import type { MatrixEndpoint, RoleMatrixModel } from './model';

/** What a request path resolved to: the row, and the alias it was reached by, if any. */
interface RowMatch {
  row: MatrixEndpoint;
  viaAlias: string | null;
}

interface Route {
  template: PathTemplate;
  row: MatrixEndpoint;
  alias: string | null;
}

// Compiled once per model object; models are immutable data.
const routeCache = new WeakMap<RoleMatrixModel, Route[]>();

function routes(model: RoleMatrixModel): Route[] {
  let cached = routeCache.get(model);
  if (!cached) {
    const rows = model.endpoints.map((row) => ({ template: compilePathTemplate(row.path), row, alias: null }));
    const aliases = model.aliases.flatMap((a) => {
      const target = rows.find((r) => matchesShape(r.template, a.path));
      return target ? [{ template: compilePathTemplate(a.alias), row: target.row, alias: a.alias }] : [];
    });
    cached = [...rows, ...aliases];
    routeCache.set(model, cached);
  }
  return cached;
}

function matchesShape(t: PathTemplate, path: string): boolean {
  const other = compilePathTemplate(path);
  return (
    t.segments.length === other.segments.length &&
    t.segments.every((s, i) => {
      const o = other.segments[i]!;
      return s.kind === o.kind && (s.kind === 'param' || (o.kind === 'literal' && s.text === o.text));
    })
  );
}

function findRow(model: RoleMatrixModel, path: string): RowMatch | null {
  const hit = bestMatch(routes(model), (r) => r.template, path);
  return hit ? { row: hit.candidate.row, viaAlias: hit.candidate.alias } : null;
}

export function methodsFor(row: MatrixEndpoint, role: string): HttpMethod[] {
  return Object.hasOwn(row.allow, role) ? row.allow[role]! : [];
}

function rolesAllowing(model: RoleMatrixModel, row: MatrixEndpoint, method: HttpMethod | string): string[] {
  return model.roles.filter((role) => (methodsFor(row, role) as string[]).includes(method));
}

function describe(match: RowMatch): string {
  return match.viaAlias ? `${match.row.path} (documented as ${match.viaAlias})` : match.row.path;
}

function unknown(model: RoleMatrixModel, method: string, path: string): string {
  return `${model.label}: ${method} ${path} is not in the documented matrix`;
}

export function checkRoleMatrix(model: RoleMatrixModel, grant: Grant, method: string, path: string): CheckResult {
  const match = findRow(model, path);
  if (!match) return { decision: 'unknown_endpoint', rule: unknown(model, method, path), allowedBy: [], endpoint: null };
  const allowedBy = rolesAllowing(model, match.row, method);
  const where = describe(match);
  const base = { allowedBy, endpoint: match.row.path };
  if (grant.role === null) {
    return { ...base, decision: 'denied', rule: `${model.label}: no role is recorded for this token, and the matrix decides by role` };
  }
  const methods = methodsFor(match.row, grant.role);
  if ((methods as string[]).includes(method)) {
    return { ...base, decision: 'allowed', rule: `${model.label}: ${grant.role} × ${where} allows ${method}` };
  }
  const has = methods.length ? `it allows ${methods.join(', ')}` : 'it allows nothing there';
  const nobody = allowedBy.length === 0 ? `; no documented role allows ${method} there` : '';
  return { ...base, decision: 'denied', rule: `${model.label}: ${grant.role} × ${where} does not allow ${method} (${has})${nobody}` };
}

export function roleMatrixEndpoints(model: RoleMatrixModel, grant: Grant): EndpointAccess[] {
  if (grant.role === null) return [];
  const role = grant.role;
  return model.endpoints.flatMap((row) => {
    const methods = methodsFor(row, role);
    if (methods.length === 0) return [];
    const aliases = model.aliases.filter((a) => matchesShape(compilePathTemplate(row.path), a.path)).map((a) => a.alias);
    const access: EndpointAccess = { path: row.path, methods: [...methods], via: `role ${role}` };
    if (aliases.length) access.aliases = aliases;
    return [access];
  });
}

export function whoCanCallRoleMatrix(model: RoleMatrixModel, method: string, path: string): WhoCanCallResult {
  const match = findRow(model, path);
  if (!match) return { known: false, endpoint: null, allowedBy: [], rule: unknown(model, method, path) };
  const allowedBy = rolesAllowing(model, match.row, method);
  const rule = allowedBy.length
    ? `${model.label}: ${method} ${describe(match)} is allowed for ${allowedBy.join(', ')}`
    : `${model.label}: no documented role allows ${method} ${describe(match)}`;
  return { known: true, endpoint: match.row.path, allowedBy, rule };
}
