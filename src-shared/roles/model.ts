import * as z from 'zod';
import { lazy } from '../domain/lazy';
import { CredentialKind } from '../domain/schemas';
import { HttpMethodSchema } from '../domain/http-method';
import { PathTemplateSchema, parsePathTemplate, templateShape } from '../domain/path-template';
import { findDuplicateNames, nameKey } from './names';

/**
 * The permission models a provider definition may carry in its `roles`
 * section. Four shapes cover the documented providers:
 *
 * - `role_matrix`: roles × endpoints × methods (Regate).
 * - `scope_set`: `action:resource` scopes with `action:*` wildcards (Regen Therapy).
 * - `token_types`: a token type, or per-content-type actions for custom tokens (Strapi).
 * - `coarse_scopes`: nested levels, each including the one below (Coolset).
 *
 * Every model carries a `label`, used at the start of every rule it explains
 * ("Regate matrix: Treasurer × /sales_invoices allows GET").
 */

const Label = lazy(() => z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'));
const Note = lazy(() => z.string().trim().max(2_000, 'must be at most 2000 characters'));

// Names become object keys in `allow`; `__proto__` would silently vanish there.
const RESERVED_NAMES = new Set(['__proto__']);
const DocumentedName = lazy(() => z
  .string()
  .transform((s) => s.normalize('NFC').trim())
  .pipe(
    z
      .string()
      .min(1, 'must not be empty')
      .max(200, 'must be at most 200 characters')
      // eslint-disable-next-line no-control-regex
      .refine((s) => !/[\u0000-\u001f\u007f-\u009f]/.test(s), 'must not contain control characters')
      .refine((s) => !RESERVED_NAMES.has(s), 'is a reserved word'),
  ));

const Slug = lazy(() => z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,62}$/, 'must be a short name such as orders or findOne'));

/** The methods a cell or level allows, each once. */
export const MethodList = lazy(() => z.array(HttpMethodSchema).max(7).superRefine((methods, ctx) => {
  methods.forEach((m, i) => {
    if (methods.indexOf(m) !== i) ctx.addIssue({ code: 'custom', path: [i], message: `repeats ${m}` });
  });
}));

const AppliesTo = lazy(() => z.array(CredentialKind).min(1, 'must name at least one credential kind').optional());

function duplicateNameIssues(ctx: z.RefinementCtx, names: readonly string[], at: (i: number) => PropertyKey[], what: string) {
  for (const d of findDuplicateNames(names)) {
    ctx.addIssue({ code: 'custom', path: at(d.again), message: `repeats the ${what} "${names[d.first]}"` });
  }
}

/**
 * The shape of a template, or null when it is malformed. Refinements run
 * even when a field inside already has an issue (so that one pass reports
 * everything), so they must not trust the paths they compare.
 */
function shapeOf(path: string): string | null {
  const parsed = parsePathTemplate(path);
  return parsed.ok ? templateShape(parsed.template) : null;
}

function duplicateShapeIssues(ctx: z.RefinementCtx, paths: readonly string[], at: (i: number) => PropertyKey[]) {
  const seen = new Map<string, number>();
  paths.forEach((p, i) => {
    const shape = shapeOf(p);
    if (shape === null) return;
    const first = seen.get(shape);
    if (first === undefined) seen.set(shape, i);
    else ctx.addIssue({ code: 'custom', path: at(i), message: `describes the same endpoint as ${paths[first]}` });
  });
}

// ---------------------------------------------------------------- role matrix

/** Role → methods. zod drops a `__proto__` key without a word, so it is caught before. */
const AllowRecord = lazy(() => z.preprocess(
  (value, ctx) => {
    if (value !== null && typeof value === 'object' && Object.hasOwn(value, '__proto__')) {
      ctx.issues.push({ code: 'custom', path: ['__proto__'], message: 'is a reserved word', input: value });
    }
    return value;
  },
  z.record(z.string(), MethodList),
));

export const MatrixEndpoint = lazy(() => z.strictObject({
  path: PathTemplateSchema,
  /**
   * Role → methods. A role that may do nothing is simply absent: the parsed
   * form drops empty lists, so a matrix has one canonical shape.
   */
  allow: AllowRecord.transform((allow) => {
    const out: Record<string, z.output<typeof MethodList>> = {};
    for (const [role, methods] of Object.entries(allow)) if (methods.length > 0) out[role] = methods;
    return out;
  }),
}));
export type MatrixEndpoint = z.output<typeof MatrixEndpoint>;

export const PathAlias = lazy(() => z.strictObject({
  /** A path as the documents (mis)spell it, e.g. Regate's `/bank_accoutns`. */
  alias: PathTemplateSchema,
  /** The endpoint row it stands for. */
  path: PathTemplateSchema,
  note: Note,
}));
export type PathAlias = z.output<typeof PathAlias>;

export const RoleMatrixModel = lazy(() => z
  .strictObject({
    kind: z.literal('role_matrix'),
    label: Label,
    note: Note.optional(),
    appliesTo: AppliesTo,
    /** Column order of the documented table; each name in its documented spelling. */
    roles: z.array(DocumentedName).min(1, 'must list at least one role').max(200),
    endpoints: z.array(MatrixEndpoint).max(2_000),
    aliases: z.array(PathAlias).max(200).default([]),
  })
  // Runs even when cells are malformed, so a file's misspelt role and its bad
  // method are reported together; hence the defensive reads.
  .superRefine(
    (m, ctx) => {
      const roles = Array.isArray(m.roles) ? m.roles.filter((r): r is string => typeof r === 'string') : [];
      const endpoints = Array.isArray(m.endpoints) ? m.endpoints.filter((e) => e && typeof e === 'object') : [];
      const aliases = Array.isArray(m.aliases) ? m.aliases.filter((a) => a && typeof a === 'object') : [];
      const pathOf = (x: { path?: unknown }) => (typeof x.path === 'string' ? x.path : '');
      duplicateNameIssues(ctx, roles, (i) => ['roles', i], 'role');
      duplicateShapeIssues(ctx, endpoints.map(pathOf), (i) => ['endpoints', i, 'path']);
      endpoints.forEach((e, i) => {
        if (!e.allow || typeof e.allow !== 'object') return;
        for (const role of Object.keys(e.allow)) {
          if (roles.includes(role)) continue;
          const near = roles.find((r) => nameKey(r) === nameKey(role));
          ctx.addIssue({
            code: 'custom',
            path: ['endpoints', i, 'allow', role],
            message: near ? `is spelled "${near}" in roles` : 'is not one of the roles listed in roles',
          });
        }
      });
      const endpointShapes = new Set(endpoints.map((e) => shapeOf(pathOf(e))));
      const aliasShapes = new Map<string, number>();
      aliases.forEach((a, i) => {
        const shape = typeof a.alias === 'string' ? shapeOf(a.alias) : null;
        const target = shapeOf(pathOf(a));
        if (shape === null || target === null) return;
        if (!endpointShapes.has(target)) {
          ctx.addIssue({ code: 'custom', path: ['aliases', i, 'path'], message: 'is not an endpoint of this matrix' });
        }
        if (endpointShapes.has(shape)) {
          ctx.addIssue({ code: 'custom', path: ['aliases', i, 'alias'], message: 'is already an endpoint of this matrix' });
        } else if (aliasShapes.has(shape)) {
          ctx.addIssue({ code: 'custom', path: ['aliases', i, 'alias'], message: `repeats aliases[${aliasShapes.get(shape)}]` });
        } else {
          aliasShapes.set(shape, i);
        }
      });
    },
    { when: () => true },
  ));
export type RoleMatrixModel = z.output<typeof RoleMatrixModel>;

// ------------------------------------------------------------------ scope set

export const ScopeSetModel = lazy(() => z
  .strictObject({
    kind: z.literal('scope_set'),
    label: Label,
    note: Note.optional(),
    appliesTo: AppliesTo,
    /** What each action lets a scope do, e.g. read → GET, HEAD. */
    actions: z
      .array(z.strictObject({ name: Slug, methods: MethodList.min(1, 'must name at least one method') }))
      .min(1, 'must list at least one action'),
    /** A resource covers its path and everything beneath it. */
    resources: z
      .array(z.strictObject({ name: Slug, path: PathTemplateSchema, note: Note.optional() }))
      .min(1, 'must list at least one resource'),
    /**
     * The documented scopes, `action:resource` or `action:*`. A resource
     * supports an action only when `action:resource` is documented, and the
     * wildcard `action:*` covers exactly those resources.
     */
    scopes: z
      .array(z.strictObject({ name: z.string().trim().min(1, 'must not be empty'), description: Note.optional() }))
      .min(1, 'must list at least one scope'),
  })
  .superRefine((m, ctx) => {
    duplicateNameIssues(ctx, m.actions.map((a) => a.name), (i) => ['actions', i, 'name'], 'action');
    duplicateNameIssues(ctx, m.resources.map((r) => r.name), (i) => ['resources', i, 'name'], 'resource');
    duplicateNameIssues(ctx, m.scopes.map((s) => s.name), (i) => ['scopes', i, 'name'], 'scope');
    duplicateShapeIssues(ctx, m.resources.map((r) => r.path), (i) => ['resources', i, 'path']);
    const methodOwner = new Map<string, string>();
    m.actions.forEach((a, i) =>
      a.methods.forEach((method, j) => {
        const owner = methodOwner.get(method);
        if (owner) ctx.addIssue({ code: 'custom', path: ['actions', i, 'methods', j], message: `${method} already belongs to ${owner}` });
        else methodOwner.set(method, a.name);
      }),
    );
    m.scopes.forEach((s, i) => {
      const [action, resource, extra] = s.name.split(':');
      const ok =
        extra === undefined &&
        action !== undefined &&
        resource !== undefined &&
        m.actions.some((a) => a.name === action) &&
        (resource === '*' || m.resources.some((r) => r.name === resource));
      if (!ok) {
        ctx.addIssue({
          code: 'custom',
          path: ['scopes', i, 'name'],
          message: `must be action:resource or action:* with a listed action (${m.actions.map((a) => a.name).join(', ')}) and resource`,
        });
      }
    });
  }));
export type ScopeSetModel = z.output<typeof ScopeSetModel>;

// ---------------------------------------------------------------- token types

const TokenTypeBase = lazy(() => ({
  /** The name the API uses, e.g. `read-only`. */
  name: z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, 'must be a lower-case name such as read-only'),
  /** The name the admin panel shows, e.g. `Read-only`. Both are accepted in a grant. */
  label: Label,
  description: Note.optional(),
}));

export const TokenType = lazy(() => z.discriminatedUnion('grants', [
  /** Every action on every content type. */
  z.strictObject({ ...TokenTypeBase, grants: z.literal('all') }),
  /** The listed actions on every content type. */
  z.strictObject({ ...TokenTypeBase, grants: z.literal('actions'), actions: z.array(Slug).min(1) }),
  /** What the token's own `contentType.action` permissions say. */
  z.strictObject({ ...TokenTypeBase, grants: z.literal('permissions') }),
]));
export type TokenType = z.output<typeof TokenType>;

export const CONTENT_TYPE_PARAM = 'contentType';

export const TokenTypesModel = lazy(() => z
  .strictObject({
    kind: z.literal('token_types'),
    label: Label,
    note: Note.optional(),
    appliesTo: AppliesTo,
    /** Each action is one route; its path names the content type as {contentType}. */
    actions: z
      .array(z.strictObject({ name: Slug, method: HttpMethodSchema, path: PathTemplateSchema }))
      .min(1, 'must list at least one action'),
    types: z.array(TokenType).min(1, 'must list at least one token type'),
  })
  .superRefine((m, ctx) => {
    duplicateNameIssues(ctx, m.actions.map((a) => a.name), (i) => ['actions', i, 'name'], 'action');
    duplicateNameIssues(ctx, m.types.map((t) => t.name), (i) => ['types', i, 'name'], 'token type');
    duplicateNameIssues(ctx, m.types.map((t) => t.label), (i) => ['types', i, 'label'], 'token type');
    const routes = new Map<string, number>();
    m.actions.forEach((a, i) => {
      const parsed = parsePathTemplate(a.path);
      if (!parsed.ok) return;
      if (!parsed.template.segments.some((s) => s.kind === 'param' && s.name === CONTENT_TYPE_PARAM)) {
        ctx.addIssue({ code: 'custom', path: ['actions', i, 'path'], message: `must name the content type as {${CONTENT_TYPE_PARAM}}` });
      }
      const route = `${a.method} ${templateShape(parsed.template)}`;
      const first = routes.get(route);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['actions', i], message: `is the same route as actions[${first}]` });
      else routes.set(route, i);
    });
    m.types.forEach((t, i) => {
      if (t.grants !== 'actions') return;
      t.actions.forEach((a, j) => {
        if (!m.actions.some((x) => x.name === a)) {
          ctx.addIssue({ code: 'custom', path: ['types', i, 'actions', j], message: 'is not one of the listed actions' });
        }
      });
    });
    if (m.types.filter((t) => t.grants === 'permissions').length > 1) {
      ctx.addIssue({ code: 'custom', path: ['types'], message: 'may have only one token type that grants per-content-type permissions' });
    }
  }));
export type TokenTypesModel = z.output<typeof TokenTypesModel>;

// -------------------------------------------------------------- coarse scopes

export const CoarseScopesModel = lazy(() => z
  .strictObject({
    kind: z.literal('coarse_scopes'),
    label: Label,
    note: Note.optional(),
    appliesTo: AppliesTo,
    /**
     * From the weakest level up. A level allows its own methods and, through
     * `includes`, everything an earlier level allows.
     */
    levels: z
      .array(
        z.strictObject({
          name: DocumentedName,
          description: Note.optional(),
          methods: MethodList,
          includes: z.string().optional(),
        }),
      )
      .min(1, 'must list at least one level'),
    /** Where the levels apply; every path when absent (Coolset: "across all endpoints"). */
    paths: z.array(PathTemplateSchema).min(1).optional(),
  })
  .superRefine((m, ctx) => {
    duplicateNameIssues(ctx, m.levels.map((l) => l.name), (i) => ['levels', i, 'name'], 'level');
    const methodOwner = new Map<string, string>();
    m.levels.forEach((l, i) => {
      if (l.includes !== undefined && !m.levels.slice(0, i).some((earlier) => earlier.name === l.includes)) {
        ctx.addIssue({ code: 'custom', path: ['levels', i, 'includes'], message: 'must name an earlier level' });
      }
      l.methods.forEach((method, j) => {
        const owner = methodOwner.get(method);
        if (owner) ctx.addIssue({ code: 'custom', path: ['levels', i, 'methods', j], message: `${method} already belongs to ${owner}` });
        else methodOwner.set(method, l.name);
      });
    });
  }));
export type CoarseScopesModel = z.output<typeof CoarseScopesModel>;

// ---------------------------------------------------------------------- union

export const PermissionModel = lazy(() => z.discriminatedUnion('kind', [
  RoleMatrixModel,
  ScopeSetModel,
  TokenTypesModel,
  CoarseScopesModel,
]));
export type PermissionModel = z.output<typeof PermissionModel>;
export type PermissionModelInput = z.input<typeof PermissionModel>;
export type PermissionModelKind = PermissionModel['kind'];
