import { referencedVariable } from './postman';
import { isObject, StructuredText, type ImportProblem, type ParsedSource, type SourceEnvironment, type SourceVariable } from './source';

type Path = (string | number)[];

/** An environment's `data`, flattened (`auth.token`), each value with its location. */
function variablesOf(st: StructuredText, data: unknown, path: Path, problems: ImportProblem[], prefix = ''): SourceVariable[] {
  if (data === undefined || data === null) return [];
  if (!isObject(data)) {
    problems.push({ location: st.at(path), message: 'must be an object of variables' });
    return [];
  }
  const out: SourceVariable[] = [];
  for (const [k, v] of Object.entries(data)) {
    if (isObject(v)) out.push(...variablesOf(st, v, [...path, k], problems, `${prefix}${k}.`));
    else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out.push({ name: `${prefix}${k}`, value: String(v), location: st.at([...path, k]) });
  }
  return out;
}

/** Requests' `authentication` that names a variable: that variable is a token of that kind. */
function markAuth(st: StructuredText, requests: { auth: unknown; path: Path }[], envs: SourceEnvironment[], unsupported: ImportProblem[]): void {
  for (const r of requests) {
    if (!isObject(r.auth) || r.auth.disabled === true) continue;
    const type = r.auth.type;
    let variable: string | null = null;
    let auth: SourceVariable['auth'];
    if (type === 'bearer') {
      variable = referencedVariable(r.auth.token);
      auth = { kind: 'bearer' };
    } else if (type === 'apikey') {
      if (r.auth.addTo && r.auth.addTo !== 'header') {
        unsupported.push({ location: st.at([...r.path, 'addTo']), message: 'an API key in the query string is not supported (Tokenvault sends keys in headers)' });
        continue;
      }
      variable = referencedVariable(r.auth.value);
      auth = { kind: 'api_key', headerName: typeof r.auth.key === 'string' && r.auth.key ? r.auth.key : 'X-API-Key' };
    } else if (typeof type === 'string' && type !== 'none' && type !== '') {
      unsupported.push({ location: st.at(r.path), message: `"${type}" authentication is not supported yet (bearer and API key in a header are)` });
      continue;
    }
    if (!variable || !auth) continue;
    for (const e of envs) for (const v of e.variables) if (v.name === variable) v.auth = auth;
  }
}

/** Sub-environments inherit the base environment's variables and override them by name. */
function inherit(base: SourceVariable[], own: SourceVariable[]): SourceVariable[] {
  const byName = new Map(base.map((v) => [v.name, v]));
  for (const v of own) byName.set(v.name, v);
  return [...byName.values()];
}

/** Reads an Insomnia export: v4 JSON (`__export_format: 4`, `resources`) or the v5 YAML (`type: collection.insomnia.rest/5.0`). */
export function readInsomnia(text: string, fileName: string): ParsedSource {
  const trimmed = text.trimStart();
  const parsed = StructuredText.parse(text, trimmed.startsWith('{') ? 'json' : 'yaml');
  const base = { format: 'insomnia' as const, title: fileName, environments: [] as SourceEnvironment[], problems: [] as ImportProblem[], unsupported: [] as ImportProblem[] };
  if (!parsed.ok) return { ...base, problems: [parsed.problem] };
  const st = parsed.text;
  const raw = st.value;
  if (!isObject(raw)) return { ...base, problems: [{ location: st.at([]), message: 'must be an Insomnia export' }] };

  if (raw.__export_format !== undefined) {
    if (raw.__export_format !== 4) return { ...base, problems: [{ location: st.at(['__export_format']), message: 'must be 4 (export again from a recent Insomnia)' }] };
    if (!Array.isArray(raw.resources)) return { ...base, problems: [{ location: st.at(['resources']), message: 'must be a list of resources' }] };
    const resources = raw.resources as unknown[];
    const envRows = resources.map((r, i) => ({ r, i })).filter(({ r }) => isObject(r) && r._type === 'environment') as { r: Record<string, unknown>; i: number }[];
    const ids = new Set(envRows.map(({ r }) => r._id));
    const roots = envRows.filter(({ r }) => !ids.has(r.parentId));
    const problems = base.problems;
    const envs: SourceEnvironment[] = [];
    for (const root of roots) {
      const rootVars = variablesOf(st, root.r.data, ['resources', root.i, 'data'], problems);
      const subs = envRows.filter(({ r }) => r.parentId === root.r._id);
      if (subs.length === 0) envs.push({ name: String(root.r.name ?? 'Base Environment'), location: st.at(['resources', root.i]), variables: rootVars });
      for (const s of subs) envs.push({ name: String(s.r.name ?? 'Environment'), location: st.at(['resources', s.i]), variables: inherit(rootVars, variablesOf(st, s.r.data, ['resources', s.i, 'data'], problems)) });
    }
    const requests = resources
      .map((r, i) => ({ r, i }))
      .filter(({ r }) => isObject(r) && r._type === 'request')
      .map(({ r, i }) => ({ auth: (r as Record<string, unknown>).authentication, path: ['resources', i, 'authentication'] as Path }));
    markAuth(st, requests, envs, base.unsupported);
    const ws = resources.find((r) => isObject(r) && r._type === 'workspace') as Record<string, unknown> | undefined;
    return { ...base, title: typeof ws?.name === 'string' ? ws.name : fileName, environments: envs };
  }

  if (typeof raw.type !== 'string' || !/^collection\.insomnia\.rest\/5\./.test(raw.type)) {
    return { ...base, problems: [{ location: st.at(['type']), message: 'must be "collection.insomnia.rest/5.0" (an Insomnia v5 export) or a v4 export' }] };
  }
  const envsRaw = raw.environments;
  const envs: SourceEnvironment[] = [];
  if (envsRaw !== undefined) {
    if (!isObject(envsRaw)) return { ...base, problems: [{ location: st.at(['environments']), message: 'must be the base environment' }] };
    const rootVars = variablesOf(st, envsRaw.data, ['environments', 'data'], base.problems);
    const subs = envsRaw.subEnvironments;
    if (subs !== undefined && !Array.isArray(subs)) base.problems.push({ location: st.at(['environments', 'subEnvironments']), message: 'must be a list' });
    const list = Array.isArray(subs) ? subs : [];
    if (list.length === 0) envs.push({ name: String(envsRaw.name ?? 'Base Environment'), location: st.at(['environments']), variables: rootVars });
    list.forEach((s, i) => {
      if (!isObject(s)) {
        base.problems.push({ location: st.at(['environments', 'subEnvironments', i]), message: 'must be an environment' });
        return;
      }
      envs.push({ name: String(s.name ?? `Environment ${i + 1}`), location: st.at(['environments', 'subEnvironments', i]), variables: inherit(rootVars, variablesOf(st, s.data, ['environments', 'subEnvironments', i, 'data'], base.problems)) });
    });
  }
  const requests: { auth: unknown; path: Path }[] = [];
  const walk = (items: unknown, path: Path) => {
    if (!Array.isArray(items)) return;
    items.forEach((it, i) => {
      if (!isObject(it)) return;
      if (it.authentication !== undefined) requests.push({ auth: it.authentication, path: [...path, i, 'authentication'] });
      walk(it.children, [...path, i, 'children']);
    });
  };
  walk(raw.collection, ['collection']);
  markAuth(st, requests, envs, base.unsupported);
  return { ...base, title: typeof raw.name === 'string' ? raw.name : fileName, environments: envs };
}
