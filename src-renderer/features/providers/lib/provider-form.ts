import { parseProviderDefinition, type ProviderDefinition } from '../../../../src-shared/providers';

/**
 * The provider editor's form (issue 12): the parts of a definition a person
 * sets up by hand — name, auth scheme, environments, one test preset, the
 * role model. Everything else a definition holds (lifetimes, portal, error
 * shapes, revocation, an imported role table) is kept from the definition
 * being edited. Validation is the definition schema's own
 * (parseProviderDefinition, the same the main process and the CLI use); its
 * issue paths are mapped back to the form's fields.
 */
export interface EnvRow {
  name: string;
  baseUrl: string;
  production: boolean;
}

export type RoleModelChoice = 'none' | 'roles' | 'scopes' | 'keep';

export interface ProviderForm {
  id: string;
  name: string;
  scheme: 'bearer' | 'api_key';
  headerName: string;
  environments: EnvRow[];
  presetLabel: string;
  presetMethod: string;
  presetPath: string;
  roleModel: RoleModelChoice;
  /** Comma-separated: role names, or scopes such as read:orders, write:*. */
  roleNames: string;
}

export type FieldErrors = Partial<Record<string, string>>;

const SPLIT = /\s*,\s*/;
const list = (s: string) => s.split(SPLIT).map((x) => x.trim()).filter(Boolean);

/** A new provider's starting form: one sandbox and one production environment, a GET test. */
export function emptyForm(): ProviderForm {
  return {
    id: '',
    name: '',
    scheme: 'bearer',
    headerName: 'X-API-Key',
    environments: [
      { name: 'Sandbox', baseUrl: '', production: false },
      { name: 'Production', baseUrl: '', production: true },
    ],
    presetLabel: 'Who am I',
    presetMethod: 'GET',
    presetPath: '/',
    roleModel: 'none',
    roleNames: '',
  };
}

/** The form for an existing definition (to edit it, or to duplicate a built-in one). */
export function formFromDefinition(def: ProviderDefinition): ProviderForm {
  const api = def.auth.find((a) => a.purpose === 'api' && (a.scheme === 'bearer' || a.scheme === 'api_key'));
  const preset = def.testPresets.find((p) => p.safe) ?? def.testPresets[0];
  const roles = def.roles;
  return {
    id: def.id,
    name: def.name,
    scheme: api?.scheme === 'api_key' ? 'api_key' : 'bearer',
    headerName: api?.scheme === 'api_key' ? api.headerName : 'X-API-Key',
    environments: def.environments.map((e) => ({ name: e.name, baseUrl: e.defaultBaseUrl ?? '', production: e.production })),
    presetLabel: preset?.label ?? '',
    presetMethod: preset?.method ?? 'GET',
    presetPath: preset?.path ?? '',
    roleModel: !roles ? 'none' : roles.kind === 'role_matrix' ? 'roles' : roles.kind === 'scope_set' ? 'scopes' : 'keep',
    roleNames: roles?.kind === 'role_matrix' ? roles.roles.join(', ') : roles?.kind === 'scope_set' ? roles.scopes.map((s) => s.name).join(', ') : '',
  };
}

const METHODS_OF: Record<string, string[]> = { read: ['GET', 'HEAD'], write: ['POST', 'PUT', 'PATCH', 'DELETE'] };

/** Scopes `read:orders`, `write:*` as a scope_set model; null with a reason when a scope is not of that form. */
function scopeModel(names: string[], base: ProviderDefinition['roles'] | undefined): { model: unknown } | { error: string } {
  const bad = names.find((n) => !/^(read|write):([a-z0-9][a-z0-9-]*|\*)$/.test(n));
  if (bad) return { error: `"${bad}" is not a scope such as read:orders or write:*` };
  const actions = [...new Set(names.map((n) => n.split(':')[0]!))];
  const resources = [...new Set(names.map((n) => n.split(':')[1]!).filter((r) => r !== '*'))];
  if (resources.length === 0) return { error: 'must name at least one resource, e.g. read:orders' };
  return {
    model: {
      kind: 'scope_set',
      label: base?.label ?? 'Scopes',
      appliesTo: base?.appliesTo,
      actions: actions.map((a) => ({ name: a, methods: METHODS_OF[a]! })),
      resources: resources.map((r) => ({ name: r, path: `/${r}` })),
      scopes: names.map((name) => ({ name })),
    },
  };
}

/** The definition the form describes, on top of `base` (the one edited, or a new provider's defaults). */
export function definitionFromForm(form: ProviderForm, base: ProviderDefinition | null): { value: Record<string, unknown>; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const auth =
    form.scheme === 'api_key'
      ? { scheme: 'api_key', purpose: 'api', headerName: form.headerName.trim() }
      : { scheme: 'bearer', purpose: 'api' };
  // Other schemes of the base (a JWT session, a management login) stay.
  const otherAuth = (base?.auth ?? []).filter((a) => a.scheme !== 'bearer' && a.scheme !== 'api_key');
  const baseEnvs = new Map((base?.environments ?? []).map((e) => [e.name.toLowerCase(), e]));
  const environments = form.environments.map((e) => {
    const kept = baseEnvs.get(e.name.trim().toLowerCase());
    return { ...(kept ?? {}), name: e.name, defaultBaseUrl: e.baseUrl.trim() === '' ? null : e.baseUrl.trim(), production: e.production };
  });
  const basePresets = base?.testPresets ?? [];
  const presetPath = form.presetPath.trim();
  const method = form.presetMethod.toUpperCase();
  const preset =
    presetPath === ''
      ? null
      : {
          ...(basePresets.find((p) => p.safe) ?? basePresets[0] ?? { id: 'test' }),
          label: form.presetLabel.trim() || 'Test',
          method,
          path: presetPath,
          safe: method === 'GET' || method === 'HEAD' || method === 'OPTIONS',
        };
  const presets = preset ? [preset, ...basePresets.filter((p) => p.id !== (preset as { id: string }).id)] : basePresets;

  let roles: unknown = base?.roles;
  const names = list(form.roleNames);
  if (form.roleModel === 'none') roles = undefined;
  else if (form.roleModel === 'roles') {
    const keep = base?.roles?.kind === 'role_matrix' ? base.roles : null;
    // The imported table's rows stay for the roles still named; a removed role leaves its cells.
    const endpoints = (keep?.endpoints ?? []).map((ep) => ({
      ...ep,
      allow: Object.fromEntries(Object.entries(ep.allow).filter(([r]) => names.includes(r))),
    }));
    roles = { kind: 'role_matrix', label: keep?.label ?? 'Roles', ...(keep?.appliesTo ? { appliesTo: keep.appliesTo } : {}), roles: names, endpoints, aliases: keep?.aliases ?? [] };
  } else if (form.roleModel === 'scopes') {
    const s = scopeModel(names, base?.roles);
    if ('error' in s) errors.roleNames = s.error;
    else roles = s.model;
  }
  const value: Record<string, unknown> = {
    ...(base ?? {
      lifetimes: { neverExpires: false },
      rotationAdviceDays: null,
      portal: {},
      revocation: { mode: 'portal', steps: ["Revoke the token in the provider's portal."] },
    }),
    schemaVersion: 1,
    id: form.id.trim(),
    name: form.name,
    auth: [auth, ...otherAuth],
    environments,
    testPresets: presets,
    // A revocation that verifies with a preset id still present; else without verification.
  };
  if (roles === undefined) delete value.roles;
  else value.roles = roles;
  const rev = value.revocation as { verifyWith?: string } | undefined;
  if (rev?.verifyWith && !presets.some((p) => (p as { id: string }).id === rev.verifyWith)) value.revocation = { ...rev, verifyWith: undefined };
  return { value: JSON.parse(JSON.stringify(value)) as Record<string, unknown>, errors };
}

/** Where an issue of the definition schema shows in the form; null: a form-level message. */
export function fieldOf(path: string): string | null {
  if (path === 'id' || path === 'name') return path;
  if (/^auth\[\d+\]\.headerName$/.test(path)) return 'headerName';
  if (/^auth/.test(path)) return 'scheme';
  const env = /^environments\[(\d+)\]\.(name|defaultBaseUrl|production)/.exec(path);
  if (env) return `env.${env[1]}.${env[2] === 'defaultBaseUrl' ? 'baseUrl' : env[2]}`;
  if (path === 'environments') return 'environments';
  const preset = /^testPresets\[0\]\.(label|method|path)/.exec(path);
  if (preset) return `preset${preset[1]![0]!.toUpperCase()}${preset[1]!.slice(1)}`;
  if (/^roles/.test(path)) return 'roleNames';
  return null;
}

/**
 * Checks the form with the definition schema. Answers the JSON to save, or
 * the errors per field (and any that no field shows, as `form`).
 */
export function validateProviderForm(
  form: ProviderForm,
  base: ProviderDefinition | null,
  opts: { takenIds: readonly string[]; isNew: boolean },
): { ok: true; json: string; definition: ProviderDefinition } | { ok: false; fields: FieldErrors; form: string | null } {
  const { value, errors } = definitionFromForm(form, base);
  const fields: FieldErrors = { ...errors };
  const formErrors: string[] = [];
  if (opts.isNew && opts.takenIds.includes(form.id.trim())) fields.id = `"${form.id.trim()}" is taken by another provider: choose another id`;
  const parsed = parseProviderDefinition(value);
  if (!parsed.ok) {
    for (const e of parsed.errors) {
      const f = fieldOf(e.path);
      if (f) fields[f] ??= e.reason;
      else formErrors.push(`${e.path} ${e.reason}`);
    }
  }
  if (Object.keys(fields).length > 0 || formErrors.length > 0 || !parsed.ok) {
    return { ok: false, fields, form: formErrors.length ? `The definition has problems the form does not show: ${formErrors.join('; ')}.` : null };
  }
  return { ok: true, json: JSON.stringify(value, null, 2), definition: parsed.definition };
}
