import { RequestAuth } from 'postman-collection';
import { isObject, StructuredText, type ImportProblem, type ParsedSource, type SourceEnvironment, type SourceVariable } from './source';

type Path = (string | number)[];

/** `{{name}}` → name, when the whole value is one reference. */
export function referencedVariable(value: unknown): string | null {
  const m = typeof value === 'string' ? /^\s*\{\{\s*(?:_\.)?([\w.-]+)\s*\}\}\s*$/.exec(value) : null;
  return m ? m[1]! : null;
}

interface AuthUse {
  variable: string | null;
  literal: string | null;
  kind: 'bearer' | 'api_key';
  headerName: string;
  location: string;
  /** The folder whose auth this is; null for the collection's own. */
  folder: string | null;
}

/** Collection and folder `auth` (bearer, apikey in a header), read with postman-collection's RequestAuth. */
function authUses(st: StructuredText, raw: Record<string, unknown>, problems: ImportProblem[], unsupported: ImportProblem[]): AuthUse[] {
  const uses: AuthUse[] = [];
  const visit = (rawAuth: unknown, path: Path, folder: string | null) => {
    if (!isObject(rawAuth)) return;
    const location = st.at([...path, 'auth']);
    let a: RequestAuth;
    try {
      a = new RequestAuth(rawAuth as never);
    } catch (e) {
      problems.push({ location, message: `is not a Postman auth block (${(e as Error).message})` });
      return;
    }
    const params = a.parameters();
    if (a.type === 'bearer') {
      const token = params.get('token');
      uses.push({ variable: referencedVariable(token), literal: referencedVariable(token) ? null : (token as string | undefined) ?? null, kind: 'bearer', headerName: 'Authorization', location, folder });
    } else if (a.type === 'apikey') {
      if ((params.get('in') ?? 'header') !== 'header') {
        unsupported.push({ location, message: 'an API key in the query string is not supported (Tokenvault sends keys in headers)' });
        return;
      }
      const value = params.get('value');
      uses.push({ variable: referencedVariable(value), literal: referencedVariable(value) ? null : (value as string | undefined) ?? null, kind: 'api_key', headerName: String(params.get('key') ?? 'X-API-Key'), location, folder });
    } else if (a.type !== 'noauth' && String(a.type) !== 'inherit') {
      unsupported.push({ location, message: `"${a.type}" auth is not supported yet (bearer and API key in a header are)` });
    }
  };
  visit(raw.auth, [], null);
  const walk = (items: unknown, path: Path) => {
    if (!Array.isArray(items)) return;
    items.forEach((item, i) => {
      if (!isObject(item) || !Array.isArray(item.item)) return; // folders only: a request's own auth is per request
      visit(item.auth, [...path, i], typeof item.name === 'string' && item.name.trim() ? item.name.trim() : `folder ${i + 1}`);
      walk(item.item, [...path, i, 'item']);
    });
  };
  walk(raw.item, ['item']);
  return uses;
}

/**
 * Reads a Postman export (v2.1): an environment (`values`, with `secret`
 * types) or a collection (`variable`, collection and folder `auth`).
 */
export function readPostman(text: string, fileName: string): ParsedSource {
  const parsed = StructuredText.parse(text, 'json');
  const base = { format: 'postman' as const, title: fileName, environments: [] as SourceEnvironment[], problems: [] as ImportProblem[], unsupported: [] as ImportProblem[] };
  if (!parsed.ok) return { ...base, problems: [parsed.problem] };
  const st = parsed.text;
  const raw = st.value;
  if (!isObject(raw)) return { ...base, problems: [{ location: st.at([]), message: 'must be a Postman environment or collection object' }] };

  const readVars = (list: unknown, path: Path, secretFlag: (v: Record<string, unknown>) => boolean): SourceVariable[] => {
    if (list === undefined) return [];
    if (!Array.isArray(list)) {
      base.problems.push({ location: st.at(path), message: 'must be a list of variables' });
      return [];
    }
    const out: SourceVariable[] = [];
    list.forEach((v, i) => {
      if (!isObject(v) || typeof v.key !== 'string' || v.key.trim() === '') {
        base.problems.push({ location: st.at([...path, i, 'key']), message: 'must be a variable name' });
        return;
      }
      if (v.value !== undefined && v.value !== null && typeof v.value !== 'string' && typeof v.value !== 'number' && typeof v.value !== 'boolean') {
        base.problems.push({ location: st.at([...path, i, 'value']), message: 'must be a string' });
        return;
      }
      if (v.enabled === false) return;
      out.push({ name: v.key, value: v.value === undefined || v.value === null ? '' : String(v.value), location: st.at([...path, i]), secret: secretFlag(v) });
    });
    return out;
  };

  if (Array.isArray(raw.values) || raw._postman_variable_scope === 'environment') {
    const name = typeof raw.name === 'string' && raw.name.trim() ? raw.name.trim() : fileName.replace(/\.(postman_environment\.)?json$/, '');
    const variables = readVars(raw.values, ['values'], (v) => v.type === 'secret');
    return { ...base, title: name, environments: [{ name, location: st.at([]), variables }] };
  }
  const info = raw.info;
  if (!isObject(info) || typeof info.schema !== 'string' || !/collection\/v2\.[01]/.test(info.schema)) {
    return { ...base, problems: [{ location: st.at(['info', 'schema']), message: 'must name the Postman collection schema v2.1 (or be an exported environment)' }] };
  }
  const variables = readVars(raw.variable, ['variable'], (v) => v.type === 'secret');
  const uses = authUses(st, raw, base.problems, base.unsupported);
  for (const u of uses) {
    const target = u.variable ? variables.find((v) => v.name === u.variable) : null;
    const auth = u.kind === 'api_key' ? { kind: 'api_key' as const, headerName: u.headerName } : { kind: 'bearer' as const };
    if (target) target.auth = auth;
    // A value written into the auth block itself: named after the collection, and the folder when it is a folder's
    // (two folders with their own tokens were one name, and the second was skipped as a repeat).
    else if (u.literal) {
      const owner = [typeof info.name === 'string' ? info.name : 'collection', u.folder].filter(Boolean).join(' ');
      variables.push({ name: `${owner} ${u.kind === 'api_key' ? 'API key' : 'token'}`, value: u.literal, location: u.location, auth });
    }
    // A reference to a variable the collection does not define lives in an environment file: the user imports that one.
  }
  const title = typeof info.name === 'string' && info.name.trim() ? info.name.trim() : fileName;
  return { ...base, title, environments: [{ name: 'default', location: st.at([]), variables }] };
}
