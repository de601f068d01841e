import type { HttpMethod } from '../domain/http-method';
import { compilePathTemplate, matchPathTemplate } from '../domain/path-template';
import type { CheckResult, EndpointAccess, Grant, WhoCanCallResult } from './decision';
import { CONTENT_TYPE_PARAM, type TokenType, type TokenTypesModel } from './model';
import { nameKey } from './names';

/** How a custom token's permission is written: content type, dot, action. */
export const CONTENT_TYPE_PERMISSION = 'articles.find';

// Content types are the API ids the user gave them (Strapi: "API ID (Plural)"), lower-case slugs.
const CONTENT_TYPE = /^[a-z0-9][a-z0-9_-]*$/;

export function tokenTypeNames(model: TokenTypesModel): string[] {
  return model.types.map((t) => t.name);
}

/**
 * Strapi's own spelling of a content-API action, `api::article.article.find`
 * (the content type's singular name), read as the stored spelling
 * `articles.find` (its REST plural, as the route /api/articles names it).
 * The plural follows English rules as Strapi's generator makes it (category →
 * categories, address → addresses, article → articles); a content type with a
 * hand-set plural should be written in the short form.
 */
const STRAPI_UID = /^api::([a-z0-9][a-z0-9_-]*)\.([a-z0-9][a-z0-9_-]*)\.([A-Za-z]+)$/i;

export function pluralApiId(singular: string): string {
  if (/[^aeiou]y$/.test(singular)) return `${singular.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(singular)) return `${singular}es`;
  return `${singular}s`;
}

/**
 * `Articles.FINDONE` → `articles.findOne`, and Strapi's `api::article.article.find`
 * → `articles.find` (the one stored spelling); null when the action is not documented.
 */
export function resolvePermission(model: TokenTypesModel, input: string): string | null {
  const uid = STRAPI_UID.exec(input.trim());
  const text = uid ? `${pluralApiId(uid[2]!.toLowerCase())}.${uid[3]}` : input;
  const dot = text.lastIndexOf('.');
  if (dot <= 0) return null;
  const contentType = text.slice(0, dot).trim().toLowerCase();
  const action = model.actions.find((a) => nameKey(a.name) === nameKey(text.slice(dot + 1)));
  if (!action || !CONTENT_TYPE.test(contentType)) return null;
  return `${contentType}.${action.name}`;
}

type Action = TokenTypesModel['actions'][number];

interface Route {
  action: Action;
  contentType: string;
}

/** The action a request is: both the route's method and its path shape must match. */
function findRoute(model: TokenTypesModel, method: string, path: string): { route: Route | null; pathKnown: boolean } {
  let pathKnown = false;
  for (const action of model.actions) {
    const params = matchPathTemplate(action.path, path);
    if (!params) continue;
    pathKnown = true;
    if (action.method === method) return { route: { action, contentType: params[CONTENT_TYPE_PARAM]! }, pathKnown };
  }
  return { route: null, pathKnown };
}

function typeAllows(type: TokenType, route: Route, permissions: readonly string[]): boolean {
  switch (type.grants) {
    case 'all':
      return true;
    case 'actions':
      return type.actions.includes(route.action.name);
    case 'permissions':
      return permissions.includes(`${route.contentType.toLowerCase()}.${route.action.name}`);
  }
}

function whoAllows(model: TokenTypesModel, route: Route): string[] {
  return model.types.flatMap((t) => {
    if (t.grants === 'permissions') return [`${t.name} (${route.contentType.toLowerCase()}.${route.action.name})`];
    return typeAllows(t, route, []) ? [t.name] : [];
  });
}

function unknownRule(model: TokenTypesModel, method: string, path: string, pathKnown: boolean): string {
  const routes = model.actions.map((a) => `${a.method} ${a.path}`).join(', ');
  return pathKnown
    ? `${model.label}: ${method} is not a documented method for ${path} (routes: ${routes})`
    : `${model.label}: ${method} ${path} is not a documented content-API route (${routes})`;
}

function what(route: Route): string {
  return `${route.action.name} ${route.contentType} (${route.action.method} ${route.action.path})`;
}

export function checkTokenTypes(model: TokenTypesModel, grant: Grant, method: string, path: string): CheckResult {
  const { route, pathKnown } = findRoute(model, method, path);
  if (!route) return { decision: 'unknown_endpoint', rule: unknownRule(model, method, path, pathKnown), allowedBy: [], endpoint: null };
  const allowedBy = whoAllows(model, route);
  const base = { allowedBy, endpoint: route.action.path };
  const type = model.types.find((t) => t.name === grant.tokenType);
  if (!type) {
    return { ...base, decision: 'denied', rule: `${model.label}: no token type is recorded for this token, and the type decides what it may do` };
  }
  const needs = allowedBy.join(' or ');
  if (typeAllows(type, route, grant.scopes)) {
    const how = type.grants === 'permissions' ? `a ${type.label} token with ${route.contentType.toLowerCase()}.${route.action.name}` : `a ${type.label} token`;
    return { ...base, decision: 'allowed', rule: `${model.label}: ${how} may ${what(route)}` };
  }
  const how = type.grants === 'permissions' ? `a ${type.label} token without ${route.contentType.toLowerCase()}.${route.action.name}` : `a ${type.label} token`;
  return { ...base, decision: 'denied', rule: `${model.label}: ${how} may not ${what(route)}; needs ${needs}` };
}

export function tokenTypeEndpoints(model: TokenTypesModel, grant: Grant): EndpointAccess[] {
  const type = model.types.find((t) => t.name === grant.tokenType);
  if (!type) return [];
  const pairs: { path: string; method: HttpMethod; via: string }[] = [];
  if (type.grants === 'permissions') {
    for (const perm of grant.scopes) {
      const dot = perm.lastIndexOf('.');
      const action = model.actions.find((a) => a.name === perm.slice(dot + 1));
      if (!action) continue;
      pairs.push({ path: withContentType(action.path, perm.slice(0, dot)), method: action.method, via: `${type.label}: ${perm}` });
    }
  } else {
    for (const action of model.actions) {
      if (type.grants === 'all' || type.actions.includes(action.name)) {
        pairs.push({ path: action.path, method: action.method, via: `${type.label}: ${action.name}` });
      }
    }
  }
  // One entry per path, methods and reasons merged, in first-seen order.
  const byPath = new Map<string, EndpointAccess>();
  for (const p of pairs) {
    const entry = byPath.get(p.path);
    if (!entry) byPath.set(p.path, { path: p.path, methods: [p.method], via: p.via });
    else {
      if (!entry.methods.includes(p.method)) entry.methods.push(p.method);
      entry.via = `${entry.via}, ${p.via.slice(p.via.indexOf(': ') + 2)}`;
    }
  }
  return [...byPath.values()];
}

/** `/api/{contentType}/{id}` + `articles` → `/api/articles/{id}`: other parameters stay templates. */
function withContentType(path: string, contentType: string): string {
  const segments = compilePathTemplate(path).segments.map((s) =>
    s.kind === 'literal' ? s.text : s.name === CONTENT_TYPE_PARAM ? contentType : `{${s.name}}`,
  );
  return `/${segments.join('/')}`;
}

export function whoCanCallTokenTypes(model: TokenTypesModel, method: string, path: string): WhoCanCallResult {
  const { route, pathKnown } = findRoute(model, method, path);
  if (!route) return { known: false, endpoint: null, allowedBy: [], rule: unknownRule(model, method, path, pathKnown) };
  const allowedBy = whoAllows(model, route);
  return { known: true, endpoint: route.action.path, allowedBy, rule: `${model.label}: to ${what(route)} a token needs ${allowedBy.join(' or ')}` };
}
