import { readFileSync, statSync, unlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { VaultError } from '../../../src-shared/errors';
import { fingerprint } from '../../../src-shared/domain/fingerprint';
import { isCorrupt, type Environment, type Workspace } from '../../../src-shared/domain/types';
import type { Vault } from '../../vault/vault';
import type { ProviderRegistry } from '../provider-registry';
import { classifyVariable, looksProduction, type Classified } from './classify';
import { IMPORT_FORMATS, type ExplicitToken, type ImportFormat, type ParsedSource } from './source';
import type { ImportPreview, ImportResult } from '../../../src-shared/domain/transfer-types';

export { IMPORT_FORMATS, type ImportFormat } from './source';

/** A file larger than this is no export of tokens. */
const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

export type { ImportPreview, ImportResult } from '../../../src-shared/domain/transfer-types';

export interface ImportPlan {
  preview: ImportPreview;
  /** Values, by `environment\u0000name`: stay in the main process. */
  values: Map<string, string>;
  /** Field-by-field metadata of explicit tokens (a Tokenvault export), by the same key. */
  explicit: Map<string, ExplicitToken>;
  workspace: ParsedSource['workspace'] | undefined;
}

function sniff(text: string): ImportFormat | null {
  const t = text.trimStart();
  if (/^\{/.test(t)) {
    try {
      const v = JSON.parse(t) as Record<string, unknown>;
      if (v.format === 'tokenvault-export') return 'tokenvault';
      if (typeof v.openapi === 'string' || v.swagger === '2.0') return 'openapi';
      if (v.__export_format !== undefined || v._type === 'export') return 'insomnia';
      if (Array.isArray(v.values) || v._postman_variable_scope || (typeof v.info === 'object' && v.info !== null && 'schema' in v.info)) return 'postman';
    } catch {
      // Broken JSON: tell the format by its keys, so its reader reports where the syntax fails.
      if (/"format"\s*:\s*"tokenvault-export"/.test(t)) return 'tokenvault';
      if (/"(openapi|swagger)"\s*:/.test(t)) return 'openapi';
      if (/"(__export_format|_type)"\s*:/.test(t)) return 'insomnia';
      if (/"(values|_postman_variable_scope|_postman_id)"\s*:/.test(t)) return 'postman';
      return null;
    }
    return null;
  }
  if (/^(openapi|swagger)\s*:/m.test(t)) return 'openapi';
  if (/^type:\s*collection\.insomnia\.rest\//m.test(t)) return 'insomnia';
  if (/^\s*(export\s+)?[A-Za-z_][\w.-]*\s*=/m.test(t)) return 'dotenv';
  return null;
}

/**
 * Reads a file (or, for Bruno, a collection folder) in the given format, or
 * the one its name and content show with `auto`. Throws NOT_FOUND for a
 * missing file and VALIDATION when the format cannot be told; problems inside
 * the file come back in the result, with their locations.
 */
export async function readImportSource(file: string, format: 'auto' | ImportFormat = 'auto'): Promise<ParsedSource> {
  let st;
  try {
    st = statSync(file);
  } catch {
    throw new VaultError('NOT_FOUND', `There is no file or folder ${file}.`);
  }
  const name = basename(file);
  if (st.isDirectory() || name.endsWith('.bru')) {
    if (format !== 'auto' && format !== 'bruno') throw new VaultError('VALIDATION', `${file} is a Bruno collection, not ${format}.`);
    const { readBruno } = await import('./bruno');
    return readBruno(file);
  }
  if (st.size > MAX_IMPORT_BYTES) throw new VaultError('VALIDATION', `${file} is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB: not an export of tokens.`);
  return readImportText(name, readFileSync(file, 'utf8'), format);
}

/**
 * The same for a file's text and name (the UI sends what the user picked);
 * a Bruno source is then one environment `.bru` file.
 */
export async function readImportText(name: string, raw: string, format: 'auto' | ImportFormat = 'auto'): Promise<ParsedSource> {
  if (raw.length > MAX_IMPORT_BYTES) throw new VaultError('VALIDATION', `${name} is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB: not an export of tokens.`);
  const text = raw.replace(/^\uFEFF/, '');
  const chosen = format !== 'auto' ? format : name.endsWith('.bru') ? 'bruno' : /(^|\.)env(\.[\w-]+)?$/.test(name) ? 'dotenv' : sniff(text);
  if (!chosen) {
    throw new VaultError('VALIDATION', `Cannot tell what ${name} is: pass --format (${IMPORT_FORMATS.join(', ')}).`, { issues: [{ path: '--format', message: 'is needed for this file' }] });
  }
  switch (chosen) {
    case 'dotenv':
      return (await import('./dotenv')).readDotenv(text, name);
    case 'postman':
      return (await import('./postman')).readPostman(text, name);
    case 'insomnia':
      return (await import('./insomnia')).readInsomnia(text, name);
    case 'openapi':
      return (await import('./openapi')).readOpenApi(text, name);
    case 'tokenvault':
      return (await import('./tokenvault-export')).readTokenvaultExport(text, name);
    case 'bruno':
      return (await import('./bruno')).readBrunoEnvironmentText(name, text);
  }
}

/** At most this many files of a picked folder (a Bruno collection's manifest, auth and environments). */
export const MAX_IMPORT_FILES = 500;

/**
 * A folder the user picked in the UI, as its files' texts (paths relative to
 * the picked folder): a Bruno collection, read like the CLI reads a folder
 * (readBrunoCollection). Throws VALIDATION for another format, too many
 * files, or more text than one import may hold.
 */
export async function readImportFolder(folderName: string, files: { path: string; text: string }[], format: 'auto' | ImportFormat = 'auto'): Promise<ParsedSource> {
  if (format !== 'auto' && format !== 'bruno') throw new VaultError('VALIDATION', `A folder is read as a Bruno collection, not ${format}.`);
  if (files.length > MAX_IMPORT_FILES) throw new VaultError('VALIDATION', `${folderName} has more than ${MAX_IMPORT_FILES} files to read: choose the collection's own folder.`);
  const total = files.reduce((n, f) => n + f.text.length, 0);
  if (total > MAX_IMPORT_BYTES) throw new VaultError('VALIDATION', `${folderName} holds more than ${MAX_IMPORT_BYTES / 1024 / 1024} MB of environments: not a Bruno collection.`);
  return (await import('./bruno')).readBrunoCollection(folderName, files);
}

const key = (env: string, name: string) => `${env.toLocaleLowerCase('en-US')}\u0000${name.normalize('NFC').toLocaleLowerCase('en-US')}`;
const cleanName = (s: string) => s.replace(/[/\\]/g, '-').replace(/\p{Cc}/gu, '').trim().slice(0, 100);

/**
 * Decides what an import does in this vault: which workspace and
 * environments it creates or reuses, which variables become tokens, which are
 * skipped (and why), which names exist already (kept, never overwritten).
 * `env` renames a single-environment source, or picks one from several.
 */
export function planImport(vault: Vault, source: ParsedSource, opts: { workspace: string; env?: string }, registry?: ProviderRegistry): ImportPlan {
  const problems = [...source.problems];
  const skipped: ImportPreview['skipped'] = [];
  const create: ImportPreview['create'] = [];
  const existing: ImportPreview['existing'] = [];
  const values = new Map<string, string>();
  const explicit = new Map<string, ExplicitToken>();
  const wsName = cleanName(opts.workspace);
  let ws: Workspace | null = null;
  try {
    ws = vault.findWorkspace(wsName);
  } catch (e) {
    if (!(e instanceof VaultError && e.code === 'NOT_FOUND')) throw e;
  }
  let sourceEnvs = source.environments;
  if (opts.env) {
    if (sourceEnvs.length === 1) sourceEnvs = [{ ...sourceEnvs[0]!, name: opts.env }];
    else {
      const picked = sourceEnvs.filter((e) => e.name.toLowerCase() === opts.env!.toLowerCase());
      if (picked.length === 0) problems.push({ location: '--env', message: `names no environment of the source (it has ${sourceEnvs.map((e) => e.name).join(', ') || 'none'})` });
      sourceEnvs = picked;
    }
  }
  const environments: ImportPreview['environments'] = [];
  for (const se of sourceEnvs) {
    const envName = cleanName(se.name) || 'default';
    let env: Environment | null = null;
    if (ws) {
      try {
        env = vault.findEnvironment(ws.id, envName);
      } catch (e) {
        if (!(e instanceof VaultError && e.code === 'NOT_FOUND')) throw e;
      }
    }
    const classified: Classified[] = se.variables.map(classifyVariable);
    const urls = classified.filter((c): c is Extract<Classified, { as: 'base_url' }> => c.as === 'base_url').sort((a, b) => a.rank - b.rank);
    const baseUrl = se.baseUrl !== undefined ? se.baseUrl : (urls[0]?.value ?? null);
    for (const u of urls) {
      if (se.baseUrl === undefined && u === urls[0]) continue;
      skipped.push({ name: u.name, location: u.location, reason: env ? 'a URL; the environment exists and keeps its base URL' : `a URL; ${urls[0]!.name} is the base URL` });
    }
    if (env && se.baseUrl === undefined && urls[0]) skipped.push({ name: urls[0].name, location: urls[0].location, reason: 'a URL; the environment exists and keeps its base URL' });
    if (!env && baseUrl === null && source.format === 'openapi') {
      // The provider definition keeps it (the user gives its URL later); the workspace cannot have it yet.
      skipped.push({ name: envName, location: se.location, reason: 'an environment without a usable base URL: the provider lists it, add it to the workspace when you know its URL' });
      continue;
    }
    if (!env && baseUrl === null) {
      problems.push({ location: se.location, message: `environment "${envName}" needs a base URL and the source gives none: add it to ${wsName} with its base URL first (in the app: Add environment; on the command line: tokenvault env add "${wsName}" "${envName}" --base-url URL), or import into an environment that exists, then import again` });
    }
    environments.push({ name: env?.name ?? envName, baseUrl: env?.baseUrl ?? baseUrl, production: env?.production ?? se.production ?? looksProduction(envName), exists: env !== null, location: se.location });
    const taken = new Set<string>();
    if (env) for (const c of vault.listCredentials({ environmentId: env.id })) if (!isCorrupt(c)) taken.add(key(envName, c.name));
    for (const c of classified) {
      if (c.as === 'skip') skipped.push({ name: c.name, location: c.location, reason: c.reason });
      if (c.as !== 'token') continue;
      const name = cleanName(c.name);
      const k = key(envName, name);
      if (taken.has(k)) {
        existing.push({ environment: envName, name, location: c.location });
        continue;
      }
      if (values.has(k)) {
        skipped.push({ name: c.name, location: c.location, reason: 'repeats a name already imported from this source' });
        continue;
      }
      values.set(k, c.value);
      if (c.explicit) explicit.set(k, c.explicit);
      create.push({ environment: envName, name, kind: c.kind, headerName: c.headerName, fingerprint: fingerprint(c.value), location: c.location, why: c.why });
    }
  }
  const def = source.provider ?? null;
  const provider = def ? { id: def.id, name: def.name, exists: registry?.get(def.id) !== null && registry?.get(def.id) !== undefined, definition: def } : null;
  if (!wsName) problems.push({ location: '--workspace', message: 'must name a workspace' });
  return {
    preview: {
      format: source.format,
      title: source.title,
      workspace: { name: ws?.name ?? wsName, exists: ws !== null },
      provider,
      environments,
      create,
      skipped,
      existing,
      unsupported: source.unsupported,
      warnings: source.warnings ?? [],
      problems,
    },
    values,
    explicit,
    workspace: source.workspace,
  };
}

/**
 * Carries out a plan in one transaction: the workspace, its environments
 * and tokens (audited `imported`, one event each, plus one for the import),
 * and for OpenAPI the provider definition (saved first; removed again if the
 * transaction fails). With any problem in the plan it throws VALIDATION with
 * each problem's location as its path, and saves nothing.
 */
export function applyImport(vault: Vault, plan: ImportPlan, registry?: ProviderRegistry): ImportResult {
  const p = plan.preview;
  if (p.problems.length > 0) {
    throw new VaultError('VALIDATION', `The import has ${p.problems.length} problem${p.problems.length === 1 ? '' : 's'}; nothing was saved. First: ${p.problems[0]!.location}: ${p.problems[0]!.message}.`, {
      issues: p.problems.slice(0, 50).map((q) => ({ path: q.location, message: q.message })),
    });
  }
  let providerFile: string | null = null;
  if (p.provider && !p.provider.exists) {
    if (!registry) throw new VaultError('INTERNAL', 'An OpenAPI import needs the provider registry.');
    registry.add(p.provider.definition);
    providerFile = join(registry.folder, `${p.provider.id}.json`);
  }
  const x = vault.internals();
  try {
    return x.db.transaction((): ImportResult => {
      const meta = plan.workspace;
      const providerId = p.provider?.id ?? meta?.providerId ?? null;
      const ws = p.workspace.exists
        ? vault.findWorkspace(p.workspace.name)
        : vault.addWorkspace({ name: p.workspace.name, ...(providerId ? { providerId } : {}), ...(meta?.color ? { color: meta.color } : {}), ...(meta?.notes ? { notes: meta.notes } : {}) });
      if (!p.workspace.exists && meta?.rotationDays) vault.setWorkspaceRotationDays(ws.id, meta.rotationDays);
      const envIds = new Map<string, string>();
      let newEnvs = 0;
      for (const e of p.environments) {
        const env = e.exists ? vault.findEnvironment(ws.id, e.name) : vault.addEnvironment({ workspaceId: ws.id, name: e.name, baseUrl: e.baseUrl!, production: e.production });
        if (!e.exists) newEnvs++;
        envIds.set(e.name.toLocaleLowerCase('en-US'), env.id);
      }
      const inputs = p.create.map((c) => {
        const k = key(c.environment, c.name);
        const x = plan.explicit.get(k);
        return {
          environmentId: envIds.get(c.environment.toLocaleLowerCase('en-US'))!,
          name: c.name,
          kind: c.kind,
          ...(c.kind === 'api_key' && c.headerName ? { headerName: c.headerName } : {}),
          description: x ? x.description : `Imported from ${p.title} (${c.location})`.slice(0, 2000),
          ...(x?.role ? { role: x.role } : {}),
          ...(x && x.scopes.length ? { scopes: x.scopes } : {}),
          ...(x?.tokenType ? { tokenType: x.tokenType } : {}),
          ...(x && x.tags.length ? { tags: x.tags } : {}),
          ...(x?.expiresAt ? { expiresAt: x.expiresAt } : {}),
          ...(x?.rotationDays ? { rotationDays: x.rotationDays } : {}),
          ...(x?.remoteId ? { remoteId: x.remoteId } : {}),
          secret: { value: plan.values.get(k)!, ...(x?.refreshToken ? { refreshToken: x.refreshToken } : {}) },
        };
      });
      if (inputs.length > 0) vault.addCredentials(inputs, { auditType: 'imported' });
      x.audit.appendNow({ type: 'imported', note: `${p.format} import of ${p.title} into ${ws.name}: ${newEnvs} environments, ${inputs.length} tokens` });
      return { workspaceId: ws.id, created: { environments: newEnvs, credentials: inputs.length, provider: providerFile !== null } };
    })();
  } catch (e) {
    if (providerFile) {
      try {
        unlinkSync(providerFile);
        registry?.reload();
      } catch {
        // the definition stays; it is valid and harmless
      }
    }
    throw e;
  }
}
