import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { referencedVariable } from './postman';
import { isObject, type ImportProblem, type ParsedSource, type SourceEnvironment, type SourceVariable } from './source';

interface BrunoLang {
  bruToEnvJsonV2(text: string): { variables: { name: string; value: string; enabled: boolean; secret: boolean }[] };
  collectionBruToJson(text: string): { auth?: { mode?: string; bearer?: { token?: string }; apikey?: { key?: string; value?: string; placement?: string } } };
}

/** `Line 3, col 9:` in Bruno's parser errors → `line 3, column 9`. */
function brunoLocation(file: string, message: string): string {
  const m = /Line (\d+), col (\d+)/.exec(message);
  return m ? `${file}: line ${m[1]}, column ${m[2]}` : file;
}

function brunoReason(message: string): string {
  const last = message.trim().split('\n').pop() ?? message;
  return `is not valid Bru (${last.trim()})`;
}

/**
 * Reads a Bruno collection folder (`bruno.json`, `environments/*.bru`,
 * `collection.bru` for its auth) with Bruno's own parser, `@usebruno/lang`;
 * a single `.bru` environment file works too. Variables in `vars:secret` are
 * secrets (their values live in Bruno's app, not in the file: they come in
 * empty and are skipped as such).
 */
async function brunoLang(): Promise<BrunoLang> {
  // @ts-expect-error -- @usebruno/lang ships no types; BrunoLang above declares the two functions used.
  const lang = (await import('@usebruno/lang')) as unknown as BrunoLang & { default?: BrunoLang };
  return typeof lang.bruToEnvJsonV2 === 'function' ? lang : lang.default!;
}

function readEnvironment(bru: BrunoLang, rel: string, text: string, problems: ImportProblem[]): SourceEnvironment | null {
  try {
    const parsed = bru.bruToEnvJsonV2(text);
    const lines = text.split('\n');
    const variables: SourceVariable[] = parsed.variables
      .filter((v) => v.enabled)
      .map((v) => {
        const line = lines.findIndex((l) => new RegExp(`^\\s*~?${v.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*[:,\\]]?`).test(l));
        return { name: v.name, value: v.value ?? '', secret: v.secret, location: line >= 0 ? `${rel}: line ${line + 1}` : rel };
      });
    return { name: basename(rel, '.bru'), location: rel, variables };
  } catch (e) {
    problems.push({ location: brunoLocation(rel, (e as Error).message), message: brunoReason((e as Error).message) });
    return null;
  }
}

/** One Bruno environment file's text (what the UI sends). */
export async function readBrunoEnvironmentText(name: string, text: string): Promise<ParsedSource> {
  const problems: ImportProblem[] = [];
  const env = readEnvironment(await brunoLang(), name, text, problems);
  return { format: 'bruno', title: name, environments: env ? [env] : [], problems, unsupported: [] };
}

/** One file of a Bruno collection as text: its path relative to the collection (`bruno.json`, `environments/Sandbox.bru`). */
export interface BrunoFile {
  path: string;
  text: string;
}

/** The files of a collection folder that an import reads: the manifest, the collection's auth, and the environments. */
export function isBrunoImportFile(rel: string): boolean {
  return rel === 'bruno.json' || rel === 'collection.bru' || /^environments\/[^/]+\.bru$/.test(rel);
}

/** A Bruno collection folder on disk (the CLI's `tokenvault import DIR`), or one environment `.bru` file. */
export async function readBruno(path: string): Promise<ParsedSource> {
  if (!statSync(path).isDirectory()) return readBrunoEnvironmentText(basename(path), readFileSync(path, 'utf8'));
  const files: BrunoFile[] = [];
  for (const rel of ['bruno.json', 'collection.bru']) if (existsSync(join(path, rel))) files.push({ path: rel, text: readFileSync(join(path, rel), 'utf8') });
  const envDir = join(path, 'environments');
  if (existsSync(envDir)) {
    for (const f of readdirSync(envDir).filter((f) => f.endsWith('.bru')).sort()) files.push({ path: `environments/${f}`, text: readFileSync(join(envDir, f), 'utf8') });
  }
  return readBrunoCollection(basename(path), files);
}

/**
 * A Bruno collection from its files' texts: the same reading for a folder on
 * disk (CLI) and a folder the user picked in the UI (its files travel as
 * content). `files` may come with a leading folder (`acme/bruno.json`, as a
 * browser's folder picker names them): the shallowest `bruno.json` marks the
 * collection's root, and files outside it, or not among bruno.json,
 * collection.bru and environments/*.bru, are ignored. `folderName` is the
 * title when bruno.json names none.
 */
export async function readBrunoCollection(folderName: string, files: BrunoFile[]): Promise<ParsedSource> {
  const bru = await brunoLang();
  const problems: ImportProblem[] = [];
  const unsupported: ImportProblem[] = [];
  let title = folderName;
  const norm = files.map((f) => ({ path: f.path.replace(/\\/g, '/').replace(/^\/+/, ''), text: f.text }));
  const manifests = norm.filter((f) => f.path === 'bruno.json' || f.path.endsWith('/bruno.json')).sort((a, b) => a.path.split('/').length - b.path.split('/').length);
  const root = manifests[0] ? manifests[0].path.slice(0, -'bruno.json'.length) : null;
  if (root === null) {
    return { format: 'bruno', title, environments: [], problems: [{ location: 'bruno.json', message: 'is missing: this folder is not a Bruno collection' }], unsupported };
  }
  const byPath = new Map<string, string>();
  for (const f of norm) if (f.path.startsWith(root) && isBrunoImportFile(f.path.slice(root.length))) byPath.set(f.path.slice(root.length), f.text);
  try {
    const m = JSON.parse(byPath.get('bruno.json')!) as unknown;
    if (!isObject(m) || m.type !== 'collection') problems.push({ location: 'bruno.json: $.type', message: 'must be "collection"' });
    else if (typeof m.name === 'string' && m.name.trim()) title = m.name.trim();
  } catch {
    // Not JSON.parse's message: it quotes the input.
    problems.push({ location: 'bruno.json', message: 'is not valid JSON' });
  }
  const envFiles = [...byPath.keys()].filter((p) => p.startsWith('environments/')).sort();

  const environments: SourceEnvironment[] = [];
  for (const rel of envFiles) {
    const env = readEnvironment(bru, rel, byPath.get(rel)!, problems);
    if (env) environments.push(env);
  }

  const collectionBru = byPath.get('collection.bru');
  if (collectionBru !== undefined) {
    try {
      const auth = bru.collectionBruToJson(collectionBru).auth;
      let variable: string | null = null;
      let kind: SourceVariable['auth'];
      if (auth?.mode === 'bearer') {
        variable = referencedVariable(auth.bearer?.token);
        kind = { kind: 'bearer' };
      } else if (auth?.mode === 'apikey') {
        if (auth.apikey?.placement && auth.apikey.placement !== 'header') unsupported.push({ location: 'collection.bru: auth:apikey', message: 'an API key in the query string is not supported (Tokenvault sends keys in headers)' });
        else {
          variable = referencedVariable(auth.apikey?.value);
          kind = { kind: 'api_key', headerName: auth.apikey?.key || 'X-API-Key' };
        }
      } else if (auth?.mode && auth.mode !== 'none' && auth.mode !== 'inherit') {
        unsupported.push({ location: 'collection.bru: auth', message: `"${auth.mode}" auth is not supported yet (bearer and API key in a header are)` });
      }
      if (variable && kind) for (const e of environments) for (const v of e.variables) if (v.name === variable) v.auth = kind;
    } catch (e) {
      problems.push({ location: brunoLocation('collection.bru', (e as Error).message), message: brunoReason((e as Error).message) });
    }
  }
  if (envFiles.length === 0) problems.push({ location: 'environments/', message: 'holds no .bru environment: nothing to import' });
  return { format: 'bruno', title, environments, problems, unsupported };
}
