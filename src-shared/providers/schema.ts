import * as z from 'zod';
import { lazy } from '../domain/lazy';
import { BaseUrl, CredentialKind, HeaderName, isLoopbackHost, Name, ProviderId, RotationDays } from '../domain/schemas';
import { HttpMethodSchema, isSafeMethod } from '../domain/http-method';
import { JsonPath } from '../domain/json-path';
import { parsePathTemplate, PathTemplateSchema } from '../domain/path-template';
import { parseUrl } from '../domain/url';
import { PermissionModel } from '../roles/model';
import { nameKey } from '../roles/names';
import { describeIssues, type DefinitionIssue } from './issues';
import { BIDI_CONTROLS, CONTROLS_BUT_LINE_BREAKS } from '../unsafe-text';

/**
 * A provider is data: this schema is the whole format of a definition file
 * (`schemaVersion: 1`), and the built-in providers are written in it too.
 * Every object is strict, so a misspelt field is an error, never ignored.
 */

export const PROVIDER_SCHEMA_VERSION = 1;

const CONTROL = new RegExp(`[${CONTROLS_BUT_LINE_BREAKS}${BIDI_CONTROLS}]`);

const Text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !CONTROL.test(s), 'must not contain control characters');

const Label = lazy(() => Text(100));
const Sentence = lazy(() => Text(500));
const Paragraph = lazy(() => Text(2_000));
const Slug = lazy(() => z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be a lower-case id such as list-users'));
/** A field name in a JSON request body. */
const BodyField = lazy(() => z.string().regex(/^[A-Za-z_$][\w$-]{0,99}$/, 'must be a JSON field name such as email'));

/** Links shown to the user and opened in a browser: https only (http for loopback, as BaseUrl). */
export const LinkUrl = lazy(() => z
  .string()
  .trim()
  .max(2_048)
  .superRefine((s, ctx) => {
    const url = parseUrl(s);
    if (!url) ctx.addIssue({ code: 'custom', message: 'must be an absolute URL such as https://example.com/settings' });
    else if (!(url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname)))) {
      ctx.addIssue({ code: 'custom', message: 'must use https://' });
    } else if (url.username || url.password) {
      ctx.addIssue({ code: 'custom', message: 'must not contain a user name or password' });
    }
  }));

// ----------------------------------------------------------------------- auth

/**
 * `api`: the credential calls the provider's API (what a test sends).
 * `management`: it only manages tokens, e.g. Strapi's admin login.
 */
const Purpose = lazy(() => z.enum(['api', 'management']).default('api'));

const AuthCommon = lazy(() => ({
  purpose: Purpose,
  label: Label.optional(),
  note: Paragraph.optional(),
}));

export const BearerAuth = lazy(() => z.strictObject({
  scheme: z.literal('bearer'),
  ...AuthCommon,
}));

export const ApiKeyAuth = lazy(() => z.strictObject({
  scheme: z.literal('api_key'),
  ...AuthCommon,
  headerName: HeaderName,
  /** The generic "API key in a header" lets each credential name its header. */
  headerNameEditable: z.boolean().default(false),
}));

const EndpointRef = lazy(() => ({ method: HttpMethodSchema, path: PathTemplateSchema }));

export const JwtSessionAuth = lazy(() => z
  .strictObject({
    scheme: z.literal('jwt_session'),
    ...AuthCommon,
    login: z.strictObject({ ...EndpointRef, emailField: BodyField, passwordField: BodyField }),
    /** Absent when the documents do not describe the refresh request. */
    refresh: z.strictObject({ ...EndpointRef, bodyField: BodyField }).optional(),
    /** Where the login (and refresh) response holds each value. */
    responseFields: z.strictObject({
      accessToken: JsonPath,
      refreshToken: JsonPath.optional(),
      expiresIn: JsonPath.optional(),
      /** Who logged in (shown beside the session), e.g. `data.user.email`. */
      account: JsonPath.optional(),
      role: JsonPath.optional(),
    }),
    /** null when undocumented: then only the JWT's own `exp` tells. */
    accessTokenLifetimeSeconds: z.number().int().positive().nullable(),
    refreshTokenLifetimeSeconds: z.number().int().positive().nullable(),
  })
  .superRefine((a, ctx) => {
    if (a.refresh && !a.responseFields.refreshToken) {
      ctx.addIssue({ code: 'custom', path: ['responseFields', 'refreshToken'], message: 'is required when refresh is given' });
    }
  }));

export const AuthScheme = lazy(() => z.discriminatedUnion('scheme', [BearerAuth, ApiKeyAuth, JwtSessionAuth]));
export type AuthScheme = z.output<typeof AuthScheme>;
export type BearerAuth = z.output<typeof BearerAuth>;
export type ApiKeyAuth = z.output<typeof ApiKeyAuth>;
export type JwtSessionAuth = z.output<typeof JwtSessionAuth>;

// --------------------------------------------------------------- environments

export const ProviderEnvironment = lazy(() => z.strictObject({
  name: Name,
  /** null: the user gives the base URL (self-hosted, or not documented). */
  defaultBaseUrl: BaseUrl.nullable(),
  production: z.boolean(),
  /** Where tokens for this environment are created, when it differs per environment. */
  portalUrl: LinkUrl.optional(),
  note: Paragraph.optional(),
}));
export type ProviderEnvironment = z.output<typeof ProviderEnvironment>;

// --------------------------------------------------------------- test presets

export const TestPreset = lazy(() => z
  .strictObject({
    id: Slug,
    label: Label,
    method: HttpMethodSchema,
    path: PathTemplateSchema,
    /** No side effects: the only presets a one-click test sends without asking. */
    safe: z.boolean(),
    /** The user adapts the path (Strapi content types are the user's own). */
    pathEditable: z.boolean().default(false),
    /** The credential kinds this preset tests; all `api` ones when absent. */
    schemes: z.array(CredentialKind).min(1).optional(),
    /** Marks a "who am I" call, and where its response names the account and company. */
    identity: z
      .strictObject({ account: JsonPath.optional(), company: JsonPath.optional(), note: Paragraph.optional() })
      .optional(),
    note: Paragraph.optional(),
  })
  .superRefine((p, ctx) => {
    if (p.safe && !isSafeMethod(p.method)) {
      ctx.addIssue({ code: 'custom', path: ['safe'], message: `cannot be true for ${p.method}: only GET, HEAD and OPTIONS are safe` });
    }
    const parsed = parsePathTemplate(p.path);
    if (parsed.ok && !p.pathEditable && parsed.template.segments.some((s) => s.kind === 'param')) {
      ctx.addIssue({ code: 'custom', path: ['path'], message: 'has parameters, so the preset must be pathEditable' });
    }
  }));
export type TestPreset = z.output<typeof TestPreset>;

// ------------------------------------------------------------------ lifetimes

export const LifetimeOption = lazy(() => z.strictObject({
  label: Label,
  /** null: unlimited. */
  days: z.number().int().min(1).max(36_500).nullable(),
}));

/**
 * The lifetime of the tokens a user creates and pastes in (sessions carry
 * theirs in `auth`). `neverExpires: false` with no options means the
 * documents state no lifetime: the user records an expiry when there is one.
 */
export const Lifetimes = lazy(() => z
  .strictObject({
    neverExpires: z.boolean(),
    /** Chosen when the token is created (Strapi: 7, 30, 90 days or unlimited). */
    options: z.array(LifetimeOption).default([]),
    note: Paragraph.optional(),
  })
  .superRefine((l, ctx) => {
    if (l.neverExpires && l.options.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'must be empty when neverExpires is true' });
    }
    l.options.forEach((o, i) => {
      if (l.options.findIndex((x) => x.days === o.days) !== i) {
        ctx.addIssue({ code: 'custom', path: ['options', i, 'days'], message: 'repeats another option' });
      }
    });
  }));
export type Lifetimes = z.output<typeof Lifetimes>;

// ---------------------------------------------------------- errors and limits

export const ErrorShape = lazy(() => z.strictObject({
  status: z.number().int().min(400).max(599),
  /** In plain words, for the test result: "the token is missing or invalid". */
  meaning: Sentence,
  cause: Sentence.optional(),
  solution: Sentence.optional(),
  /** The documented response body, when the documents show one. */
  body: z.json().optional(),
}));
export type ErrorShape = z.output<typeof ErrorShape>;

export const RateLimits = lazy(() => z.strictObject({
  /** What a limit counts against, e.g. "per API key". */
  per: Label,
  headers: z.strictObject({
    limit: HeaderName.optional(),
    remaining: HeaderName.optional(),
    reset: HeaderName.optional(),
    /** How the reset header counts: a Unix time in seconds, or seconds from now. */
    resetFormat: z.enum(['unix_seconds', 'delta_seconds']).optional(),
    retryAfter: HeaderName.optional(),
  }),
  tiers: z.array(
    z.strictObject({
      name: Label,
      limit: z.number().int().positive(),
      windowSeconds: z.number().int().positive(),
      /** Which requests count: all, or only writes (POST, PUT, PATCH, DELETE). */
      appliesTo: z.enum(['all', 'writes']).default('all'),
    }),
  ),
}));
export type RateLimits = z.output<typeof RateLimits>;

// --------------------------------------------------------------------- portal

export const Portal = lazy(() => z.strictObject({
  /** Where tokens are created, as the documents write it: "Settings > … > Public API". */
  tokenPage: Sentence.optional(),
  whoCanCreate: Sentence.optional(),
  createSteps: z.array(Sentence).default([]),
  links: z.array(z.strictObject({ label: Label, url: LinkUrl })).default([]),
  notes: z.array(Paragraph).default([]),
}));
export type Portal = z.output<typeof Portal>;

export const TokenFormatHint = lazy(() => z
  .strictObject({
    scheme: CredentialKind,
    /** A regular expression a well-formed token matches; a mismatch is a warning, not a refusal. */
    pattern: z.string().min(1).max(500),
    message: Sentence,
  })
  .superRefine((h, ctx) => {
    try {
      new RegExp(h.pattern, 'u');
    } catch {
      ctx.addIssue({ code: 'custom', path: ['pattern'], message: 'is not a valid regular expression' });
    }
  }));
export type TokenFormatHint = z.output<typeof TokenFormatHint>;

// ----------------------------------------------------------- token management

export const ManagementRequest = lazy(() => z.strictObject({
  method: HttpMethodSchema,
  /** `:id` / `{id}` is the token's id at the provider (the credential's remoteId). */
  path: PathTemplateSchema,
  /** Where the response holds what Tokenvault reads back. */
  responseFields: z
    .strictObject({
      /** For list: the array of tokens; the other fields are then read in each item. */
      items: JsonPath.optional(),
      id: JsonPath.optional(),
      name: JsonPath.optional(),
      /** The new token value (create, regenerate). */
      value: JsonPath.optional(),
      createdAt: JsonPath.optional(),
      lastUsedAt: JsonPath.optional(),
      expiresAt: JsonPath.optional(),
      /** The token's type (Strapi: read-only, full-access, custom). */
      tokenType: JsonPath.optional(),
      /** The token's lifetime in milliseconds, null for unlimited. */
      lifespanMs: JsonPath.optional(),
    })
    .optional(),
  /** Where a create request's JSON body takes each value Tokenvault sends. */
  requestFields: z
    .strictObject({
      name: BodyField.optional(),
      description: BodyField.optional(),
      tokenType: BodyField.optional(),
      lifespanMs: BodyField.optional(),
    })
    .optional(),
  note: Paragraph.optional(),
}));
export type ManagementRequest = z.output<typeof ManagementRequest>;

export const TokenManagement = lazy(() => z
  .strictObject({
    /** The credential kind (one of `auth`) that authorizes these requests. */
    authorizedBy: CredentialKind,
    list: ManagementRequest.optional(),
    create: ManagementRequest.optional(),
    regenerate: ManagementRequest.optional(),
    revoke: ManagementRequest.optional(),
    note: Paragraph.optional(),
  })
  .superRefine((t, ctx) => {
    if (!t.list && !t.create && !t.regenerate && !t.revoke) {
      ctx.addIssue({ code: 'custom', message: 'must describe at least one of list, create, regenerate, revoke' });
    }
  }));
export type TokenManagement = z.output<typeof TokenManagement>;

const RevocationCommon = lazy(() => ({
  /** Documented as final: a revoked token can never be reinstated. */
  irreversible: z.boolean().default(false),
  /** A test preset to run afterwards: it proves the token is dead. */
  verifyWith: Slug.optional(),
  note: Paragraph.optional(),
}));

export const Revocation = lazy(() => z.discriminatedUnion('mode', [
  z.strictObject({
    mode: z.literal('api'),
    ...RevocationCommon,
    /** The manual way, for when the API cannot be reached. */
    steps: z.array(Sentence).default([]),
  }),
  z.strictObject({
    mode: z.literal('portal'),
    ...RevocationCommon,
    url: LinkUrl.optional(),
    /** A guided checklist, in the documents' words. */
    steps: z.array(Sentence).min(1, 'must list at least one step'),
  }),
]));
export type Revocation = z.output<typeof Revocation>;

// ----------------------------------------------------------------- definition

function uniqueBy<T>(ctx: z.RefinementCtx, items: readonly T[], key: (t: T) => string, at: (i: number) => PropertyKey[], what: string) {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const k = key(item);
    const first = seen.get(k);
    if (first === undefined) seen.set(k, i);
    else ctx.addIssue({ code: 'custom', path: at(i), message: `repeats the ${what} at index ${first}` });
  });
}

export const ProviderDefinition = lazy(() => z
  .strictObject({
    schemaVersion: z.literal(PROVIDER_SCHEMA_VERSION),
    id: ProviderId,
    name: Name,
    description: Paragraph.optional(),
    /** One entry per credential kind the provider accepts (Regen: an API key and a JWT session). */
    auth: z
      .array(AuthScheme)
      .min(1, 'must list at least one way to authenticate')
      .superRefine((auth, ctx) => {
        uniqueBy(ctx, auth, (a) => a.scheme, (i) => [i, 'scheme'], 'scheme');
        if (!auth.some((a) => a.purpose === 'api')) ctx.addIssue({ code: 'custom', message: 'must include one scheme with purpose "api"' });
      }),
    environments: z
      .array(ProviderEnvironment)
      .min(1, 'must list at least one environment')
      .superRefine((envs, ctx) => uniqueBy(ctx, envs, (e) => nameKey(e.name), (i) => [i, 'name'], 'environment name')),
    testPresets: z
      .array(TestPreset)
      .default([])
      .superRefine((presets, ctx) => uniqueBy(ctx, presets, (p) => p.id, (i) => [i, 'id'], 'preset id')),
    lifetimes: Lifetimes,
    /** Rotate this often, as the provider advises (Coolset: 90 days); null when it does not. */
    rotationAdviceDays: RotationDays.nullable(),
    errorShapes: z
      .array(ErrorShape)
      .default([])
      .superRefine((shapes, ctx) => uniqueBy(ctx, shapes, (s) => String(s.status), (i) => [i, 'status'], 'status')),
    rateLimits: RateLimits.optional(),
    portal: Portal,
    tokenFormats: z.array(TokenFormatHint).default([]),
    tokenManagement: TokenManagement.optional(),
    revocation: Revocation,
    /** The permission model; generic providers have none. */
    roles: PermissionModel.optional(),
    /**
     * How a permission probe may test write endpoints without changing data:
     * a request the provider is known to reject before acting (e.g. an empty
     * body answered 422 when the role may write and 403 when not). Without
     * it, write endpoints are skipped — a probe never risks creating anything.
     */
    probe: z
      .strictObject({
        writes: z
          .strictObject({
            body: z.json(),
            allowedStatuses: z.array(z.number().int().min(400).max(499)).min(1),
            deniedStatuses: z.array(z.number().int().min(400).max(499)).min(1),
            note: Paragraph,
          })
          .optional(),
      })
      .optional(),
  })
  // Cross-references run even when other fields are malformed, so one pass
  // reports every problem; hence the defensive reads of `def`.
  .superRefine(
    (def, ctx) => {
      const schemes = new Set(Array.isArray(def.auth) ? def.auth.map((a) => a?.scheme) : []);
      const presetIds = new Set(Array.isArray(def.testPresets) ? def.testPresets.map((p) => p?.id) : []);
      const needScheme = (value: unknown, path: PropertyKey[]) => {
        if (typeof value === 'string' && Array.isArray(def.auth) && !schemes.has(value as never)) {
          ctx.addIssue({ code: 'custom', path, message: `names "${value}", which is not one of the schemes in auth` });
        }
      };
      if (Array.isArray(def.tokenFormats)) def.tokenFormats.forEach((h, i) => needScheme(h?.scheme, ['tokenFormats', i, 'scheme']));
      if (Array.isArray(def.testPresets)) {
        def.testPresets.forEach((p, i) => {
          if (Array.isArray(p?.schemes)) p.schemes.forEach((s, j) => needScheme(s, ['testPresets', i, 'schemes', j]));
        });
      }
      if (def.tokenManagement) needScheme(def.tokenManagement.authorizedBy, ['tokenManagement', 'authorizedBy']);
      if (def.roles && Array.isArray(def.roles.appliesTo)) def.roles.appliesTo.forEach((s, i) => needScheme(s, ['roles', 'appliesTo', i]));
      const rev = def.revocation;
      if (rev?.mode === 'api' && !def.tokenManagement?.revoke) {
        ctx.addIssue({ code: 'custom', path: ['revocation', 'mode'], message: 'is "api", so tokenManagement.revoke must describe the request' });
      }
      if (rev && typeof rev.verifyWith === 'string' && !presetIds.has(rev.verifyWith)) {
        ctx.addIssue({ code: 'custom', path: ['revocation', 'verifyWith'], message: `names "${rev.verifyWith}", which is not a test preset id` });
      }
    },
    { when: () => true },
  ));

export type ProviderDefinition = z.output<typeof ProviderDefinition>;
export type ProviderDefinitionInput = z.input<typeof ProviderDefinition>;

export type DefinitionParseResult = { ok: true; definition: ProviderDefinition } | { ok: false; errors: DefinitionIssue[] };

/**
 * Validates a definition: the parsed JSON value, or the text of a file. A
 * malformed definition is refused with every problem, each with its path
 * (`auth[0].headerName`) and the reason.
 */
export function parseProviderDefinition(json: unknown): DefinitionParseResult {
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (e) {
      return { ok: false, errors: [{ path: '(root)', reason: `is not valid JSON (${(e as Error).message})` }] };
    }
  }
  const result = ProviderDefinition.safeParse(value);
  return result.success ? { ok: true, definition: result.data } : { ok: false, errors: describeIssues(result.error.issues) };
}
