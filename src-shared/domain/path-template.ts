import * as z from 'zod';
import { lazy } from './lazy';
import { VaultError } from '../errors';

/**
 * Path templates as API documents write them: `/analytical_plans/{plan_id}/cost_centers`
 * (OpenAPI style) or `/admin/api-tokens/:id` (Express style). A parameter fills
 * one whole, non-empty segment. Matching ignores the query string, the
 * fragment and a trailing slash, because documents and callers disagree on
 * those and the API answers the same either way; it is case-sensitive,
 * because URL paths are.
 */

export type TemplateSegment = { kind: 'literal'; text: string } | { kind: 'param'; name: string };

export interface PathTemplate {
  /** The template exactly as written. */
  readonly source: string;
  readonly segments: readonly TemplateSegment[];
}

const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// A literal segment: anything a path segment may hold except what would make
// the template ambiguous ({ } for parameters, ? # for query and fragment).
const LITERAL = /^[^\s/?#{}]+$/;

export function parsePathTemplate(source: string): { ok: true; template: PathTemplate } | { ok: false; reason: string } {
  if (!source.startsWith('/')) return { ok: false, reason: 'must start with "/"' };
  if (/[?#]/.test(source)) return { ok: false, reason: 'must not contain a query string or fragment' };
  if (/\s/.test(source)) return { ok: false, reason: 'must not contain spaces' };
  const parts = splitSegments(source);
  const segments: TemplateSegment[] = [];
  for (const part of parts) {
    if (part === '') return { ok: false, reason: 'must not contain an empty segment ("//")' };
    const braced = /^\{(.*)\}$/.exec(part);
    const colon = /^:(.*)$/.exec(part);
    const name = braced?.[1] ?? colon?.[1];
    if (name !== undefined) {
      if (!PARAM_NAME.test(name)) return { ok: false, reason: `parameter "${part}" must be named like {plan_id} or :id` };
      segments.push({ kind: 'param', name });
    } else if (!LITERAL.test(part)) {
      return { ok: false, reason: `segment "${part}": a parameter must fill a whole segment, like {id}` };
    } else {
      segments.push({ kind: 'literal', text: part });
    }
  }
  const names = segments.flatMap((s) => (s.kind === 'param' ? [s.name] : []));
  const repeated = names.find((n, i) => names.indexOf(n) !== i);
  if (repeated) return { ok: false, reason: `parameter "${repeated}" appears twice` };
  return { ok: true, template: { source, segments } };
}

/** Like parsePathTemplate, for templates that are already known to be valid (built-ins, parsed definitions). */
export function compilePathTemplate(source: string): PathTemplate {
  const parsed = parsePathTemplate(source);
  if (!parsed.ok) throw new VaultError('VALIDATION', `Path template ${source} ${parsed.reason}.`);
  return parsed.template;
}

/** `/a/b/` and `/a/b` are one path; `/` has no segments. */
function splitSegments(path: string): string[] {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === '' ? [] : trimmed.slice(1).split('/');
}

/**
 * A request path as callers hand it over: maybe a full URL, maybe with a query
 * string. Returns the path the server will actually see, always starting
 * with "/", without a trailing slash (except the root). Dot segments are
 * resolved the way WHATWG URL parsing resolves them before the request is
 * sent (`\\` counts as `/`, `%2e` as `.`), so `/plans/../users` is checked as
 * `/users` and cannot pass for a documented `/plans/{id}/users`.
 */
export function normalizeRequestPath(input: string): string {
  let path = input.trim().replace(/^[A-Za-z][A-Za-z0-9+.-]*:[\\/]{2}[^/\\?#]*/, '');
  path = path.replace(/[?#].*$/s, '').replace(/\\/g, '/');
  const out: string[] = [];
  for (const segment of path.split('/').slice(path.startsWith('/') ? 1 : 0)) {
    const dots = segment.toLowerCase().replace(/%2e/g, '.');
    if (dots === '.') continue;
    if (dots === '..') {
      out.pop();
      continue;
    }
    out.push(segment);
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return `/${out.join('/')}`;
}

/** The parameters a path fills in, or null when the template does not match it. */
export function matchPathTemplate(template: PathTemplate | string, path: string): Record<string, string> | null {
  const t = typeof template === 'string' ? compilePathTemplate(template) : template;
  const parts = splitSegments(normalizeRequestPath(path));
  if (parts.length !== t.segments.length) return null;
  const params: Record<string, string> = Object.create(null) as Record<string, string>;
  for (let i = 0; i < parts.length; i++) {
    const seg = t.segments[i]!;
    const part = parts[i]!;
    if (seg.kind === 'literal') {
      if (seg.text !== part) return null;
    } else {
      if (part === '') return null;
      params[seg.name] = part;
    }
  }
  return params;
}

/**
 * True when the path is the template's path or lies beneath it: the resource
 * `/api/v1/orders` covers `/api/v1/orders/ord_1/items`. Segment-wise, so
 * `/api/v1/orders-archive` is not beneath `/api/v1/orders`.
 */
export function pathIsWithin(template: PathTemplate | string, path: string): boolean {
  const t = typeof template === 'string' ? compilePathTemplate(template) : template;
  const parts = splitSegments(normalizeRequestPath(path));
  if (parts.length < t.segments.length) return false;
  return t.segments.every((seg, i) => (seg.kind === 'literal' ? seg.text === parts[i] : parts[i] !== ''));
}

/**
 * The shape of a template, for spotting two rows that describe one endpoint:
 * `/a/{id}/` and `/a/:plan` have the same shape.
 */
export function templateShape(template: PathTemplate | string): string {
  const t = typeof template === 'string' ? compilePathTemplate(template) : template;
  return `/${t.segments.map((s) => (s.kind === 'literal' ? s.text : '{}')).join('/')}`;
}

/**
 * Of the candidates whose template matches the path, the most specific one: a
 * literal segment beats a parameter at the first position where they differ,
 * so `/users/me` wins over `/users/{id}` for `/users/me`.
 */
export function bestMatch<T>(
  candidates: readonly T[],
  templateOf: (c: T) => PathTemplate,
  path: string,
): { candidate: T; params: Record<string, string> } | null {
  let best: { candidate: T; params: Record<string, string>; template: PathTemplate } | null = null;
  for (const candidate of candidates) {
    const template = templateOf(candidate);
    const params = matchPathTemplate(template, path);
    if (!params) continue;
    if (!best || moreSpecific(template, best.template)) best = { candidate, params, template };
  }
  return best ? { candidate: best.candidate, params: best.params } : null;
}

function moreSpecific(a: PathTemplate, b: PathTemplate): boolean {
  for (let i = 0; i < a.segments.length; i++) {
    const ka = a.segments[i]!.kind;
    const kb = b.segments[i]?.kind;
    if (ka !== kb) return ka === 'literal';
  }
  return false;
}

/** `/admin/api-tokens/:id` + `{ id: '7' }` → `/admin/api-tokens/7`, each value percent-encoded. */
export function fillPathTemplate(template: PathTemplate | string, params: Readonly<Record<string, string | number>>): string {
  const t = typeof template === 'string' ? compilePathTemplate(template) : template;
  const parts = t.segments.map((seg) => {
    if (seg.kind === 'literal') return seg.text;
    if (!Object.hasOwn(params, seg.name)) {
      throw new VaultError('VALIDATION', `Path ${t.source} needs a value for ${seg.name}.`);
    }
    const value = String(params[seg.name]);
    if (value === '') throw new VaultError('VALIDATION', `Path ${t.source}: ${seg.name} must not be empty.`);
    return encodeURIComponent(value);
  });
  const trailing = t.source.length > 1 && t.source.endsWith('/') ? '/' : '';
  return `/${parts.join('/')}${parts.length ? trailing : ''}`;
}

/** A path template field in a definition file. */
export const PathTemplateSchema = lazy(() => z.string().superRefine((s, ctx) => {
  const parsed = parsePathTemplate(s);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.reason });
}));
