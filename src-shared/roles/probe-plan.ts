import { fillPathTemplate, parsePathTemplate } from '../domain/path-template';
import { isSafeMethod } from '../domain/http-method';
import { check } from './check';
import type { GrantInput } from './decision';
import type { PermissionModel } from './model';

/** One cell of a probe: a documented endpoint and method, and what the documents say this token may do. */
export interface ProbeCell {
  method: string;
  /** The documented template, e.g. `/analytical_plans/{plan_id}/cost_centers`. */
  endpoint: string;
  /** What is sent: the template with sample values (`/analytical_plans/1/cost_centers`). */
  path: string;
  documented: 'allowed' | 'denied';
  /** Reads are sent; writes only with the provider's non-mutating probe request. */
  write: boolean;
}

export interface ProbePlan {
  cells: ProbeCell[];
  /** What the plan could not cover, in words (e.g. coarse scopes documented for "every endpoint"). */
  notes: string[];
}

/** Sample values for path parameters: an id that exists on most APIs, never one the user typed. */
const SAMPLE: Record<string, string> = {};
const sampleFor = (name: string) => SAMPLE[name] ?? '1';

/**
 * Every endpoint × method the model documents, with the documented answer for
 * this grant. The probe then calls each and compares: the plan itself is
 * pure, so the table of what will be sent can be shown before anything is.
 */
export function probePlan(model: PermissionModel, grant: GrantInput, opts: { contentTypes?: string[] } = {}): ProbePlan {
  const pairs: { method: string; endpoint: string }[] = [];
  const notes: string[] = [];
  switch (model.kind) {
    case 'role_matrix':
      for (const row of model.endpoints) {
        const methods = new Set<string>();
        for (const ms of Object.values(row.allow)) for (const m of ms) methods.add(m);
        for (const m of methods) pairs.push({ method: m, endpoint: row.path });
      }
      break;
    case 'scope_set':
      for (const r of model.resources) {
        for (const a of model.actions) {
          // Only pairs the documents name as a scope: analytics has read but no write.
          if (!model.scopes.some((s) => s.name === `${a.name}:${r.name}`)) continue;
          for (const m of a.methods) if (m !== 'HEAD') pairs.push({ method: m, endpoint: r.path });
        }
      }
      break;
    case 'token_types': {
      const types = opts.contentTypes?.length ? opts.contentTypes : contentTypesFrom(grant);
      if (types.length === 0) notes.push('Content types are your own: name them (e.g. articles) to probe Strapi endpoints.');
      for (const a of model.actions) {
        const parsed = parsePathTemplate(a.path);
        const needsType = parsed.ok && parsed.template.segments.some((s) => s.kind === 'param' && s.name === 'contentType');
        for (const ct of needsType ? types : [null]) {
          const endpoint = ct ? fillPathTemplate(a.path, { contentType: ct, ...sampleParams(a.path, ['contentType']) }) : a.path;
          pairs.push({ method: a.method, endpoint });
        }
      }
      break;
    }
    case 'coarse_scopes':
      if (!model.paths) notes.push(`${model.label} are documented for every endpoint, not per endpoint: probe specific calls with a test instead.`);
      for (const p of model.paths ?? []) {
        const methods = new Set(model.levels.flatMap((l) => l.methods));
        for (const m of methods) pairs.push({ method: m, endpoint: p });
      }
      break;
  }
  const seen = new Set<string>();
  const cells: ProbeCell[] = [];
  for (const { method, endpoint } of pairs) {
    const key = `${method} ${endpoint}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const path = fillPathTemplate(endpoint, sampleParams(endpoint, []));
    const decision = check(model, grant, method, path).decision;
    cells.push({ method, endpoint, path, documented: decision === 'allowed' ? 'allowed' : 'denied', write: !isSafeMethod(method as Parameters<typeof isSafeMethod>[0]) });
  }
  return { cells, notes };
}

function sampleParams(template: string, except: string[]): Record<string, string> {
  const parsed = parsePathTemplate(template);
  const out: Record<string, string> = {};
  if (!parsed.ok) return out;
  for (const s of parsed.template.segments) if (s.kind === 'param' && !except.includes(s.name)) out[s.name] = sampleFor(s.name);
  return out;
}

/** Strapi custom permissions name their content types: `articles.find` → `articles`. */
function contentTypesFrom(grant: GrantInput): string[] {
  const scopes = typeof grant.scopes === 'string' ? grant.scopes.split(',') : (grant.scopes ?? []);
  return [...new Set(scopes.map((s) => s.trim().split('.')[0]!).filter(Boolean))];
}
