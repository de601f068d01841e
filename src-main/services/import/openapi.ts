import { BaseUrl } from '../../../src-shared/domain/schemas';
import { parsePathTemplate } from '../../../src-shared/domain/path-template';
import { parseProviderDefinition, type ProviderDefinitionInput } from '../../../src-shared/providers/schema';
import { looksProduction } from './classify';
import { isObject, StructuredText, type ImportProblem, type ParsedSource, type SourceEnvironment } from './source';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;
const MAX_PRESETS = 20;
const MAX_ENDPOINTS = 2_000;
const ANY_TOKEN = 'Any valid token';

const slug = (s: string, fallback: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60) || fallback;

/** An ajv instance path (`/paths/~1users/get`) as path parts. */
function pointerParts(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function firstSentence(s: unknown, max: number): string | undefined {
  if (typeof s !== 'string' || !s.trim()) return undefined;
  const line = s.trim().split(/\n\s*\n/)[0]!.replace(/\s+/g, ' ');
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * Turns an OpenAPI 3.x or Swagger 2.0 document (JSON or YAML) into a provider
 * definition, validated and dereferenced by @apidevtools/swagger-parser:
 * servers → environments, securitySchemes → auth (bearer; an API key in a
 * header; OAuth and the rest listed as not supported), paths → the endpoints
 * of a role matrix with one role (the document names no roles) and GET test
 * presets, those without required parameters first.
 */
export async function readOpenApi(text: string, fileName: string): Promise<ParsedSource> {
  const parsed = StructuredText.parse(text, text.trimStart().startsWith('{') ? 'json' : 'yaml');
  const out: ParsedSource = { format: 'openapi', title: fileName, environments: [], problems: [], unsupported: [] };
  if (!parsed.ok) return { ...out, problems: [parsed.problem] };
  const st = parsed.text;
  if (!isObject(st.value) || (typeof st.value.openapi !== 'string' && st.value.swagger !== '2.0')) {
    return { ...out, problems: [{ location: st.at(['openapi']), message: 'must name an OpenAPI 3.x version (or swagger: "2.0")' }] };
  }
  const { default: SwaggerParser } = await import('@apidevtools/swagger-parser');
  let api: Record<string, unknown>;
  try {
    // A copy: the parser dereferences in place.
    api = (await SwaggerParser.validate(structuredClone(st.value) as never, { resolve: { external: false } } as never)) as unknown as Record<string, unknown>;
  } catch (e) {
    const details = (e as { details?: { instancePath?: string; message?: string }[] }).details;
    if (Array.isArray(details) && details.length > 0) {
      return { ...out, problems: details.slice(0, 20).map((d) => ({ location: st.at(pointerParts(d.instancePath ?? '')), message: d.message ?? 'is invalid' })) };
    }
    const message = (e as Error).message.split('\n')[0]!;
    const ref = /"(#\/[^"]+)"/.exec(message)?.[1];
    return { ...out, problems: [{ location: ref ? `$ref ${ref}` : st.at([]), message }] };
  }
  const swagger2 = api.swagger === '2.0';
  const info = isObject(api.info) ? api.info : {};
  const title = typeof info.title === 'string' && info.title.trim() ? info.title.trim().slice(0, 100) : fileName;
  out.title = title;

  // ------------------------------------------------------------ auth
  const auth: ProviderDefinitionInput['auth'] = [];
  const schemesPath = swagger2 ? ['securityDefinitions'] : ['components', 'securitySchemes'];
  const schemes = (swagger2 ? api.securityDefinitions : isObject(api.components) ? api.components.securitySchemes : undefined) as Record<string, unknown> | undefined;
  for (const [name, s] of Object.entries(schemes ?? {})) {
    if (!isObject(s)) continue;
    const at = st.at([...schemesPath, name]);
    const label = firstSentence(s.description, 100) ?? name.slice(0, 100);
    if ((s.type === 'http' && typeof s.scheme === 'string' && s.scheme.toLowerCase() === 'bearer')) {
      if (!auth.some((a) => a.scheme === 'bearer')) auth.push({ scheme: 'bearer', label });
    } else if (s.type === 'apiKey' && s.in === 'header' && typeof s.name === 'string') {
      if (auth.some((a) => a.scheme === 'api_key')) out.unsupported.push({ location: at, message: 'a second API key header: a provider has one (the first is used)' });
      else if (s.name.toLowerCase() === 'authorization') auth.push({ scheme: 'bearer', label });
      else auth.push({ scheme: 'api_key', headerName: s.name, label });
    } else if (s.type === 'oauth2' || s.type === 'openIdConnect') {
      out.unsupported.push({ location: at, message: 'OAuth flows are not supported yet: store the access token as a bearer token' });
    } else if (s.type === 'apiKey') {
      out.unsupported.push({ location: at, message: `an API key in the ${String(s.in)} is not supported (Tokenvault sends keys in headers)` });
    } else {
      out.unsupported.push({ location: at, message: `"${String(s.type)}${s.scheme ? ` ${String(s.scheme)}` : ''}" authentication is not supported yet` });
    }
  }
  if (auth.length === 0) out.problems.push({ location: st.at(schemesPath), message: 'names no scheme Tokenvault supports (HTTP bearer, or an API key in a header)' });

  // ------------------------------------------------------------ environments
  const envs: SourceEnvironment[] = [];
  const addEnv = (name: string, url: string | null, location: string) => {
    let n = name.slice(0, 90) || 'Server';
    for (let i = 2; envs.some((e) => e.name.toLowerCase() === n.toLowerCase()); i++) n = `${name.slice(0, 90)} ${i}`;
    const ok = url === null ? null : BaseUrl.safeParse(url);
    if (ok && !ok.success) out.unsupported.push({ location, message: `${url} cannot be a base URL (${ok.error.issues[0]?.message ?? 'invalid'}): the environment gets none` });
    const production = looksProduction(n) || (url !== null && looksProduction(url.replace(/^https?:\/\//, '').split('/')[0]!.replace(/\./g, ' ')));
    envs.push({ name: n, location, variables: [], baseUrl: ok?.success ? ok.data : null, production });
  };
  if (swagger2) {
    const schemesList = Array.isArray(api.schemes) ? (api.schemes as string[]) : ['https'];
    const scheme = schemesList.includes('https') ? 'https' : (schemesList[0] ?? 'https');
    const host = typeof api.host === 'string' ? api.host : null;
    addEnv('Production', host ? `${scheme}://${host}${typeof api.basePath === 'string' ? api.basePath : ''}` : null, st.at(['host']));
  } else {
    const servers = Array.isArray(api.servers) ? (api.servers as unknown[]) : [];
    servers.forEach((s, i) => {
      if (!isObject(s) || typeof s.url !== 'string') return;
      let url = s.url;
      if (isObject(s.variables)) for (const [k, v] of Object.entries(s.variables)) if (isObject(v) && typeof v.default === 'string') url = url.replaceAll(`{${k}}`, v.default);
      const at = st.at(['servers', i]);
      if (!/^https?:\/\//i.test(url)) {
        out.unsupported.push({ location: at, message: `${url} is relative: the environment gets no base URL` });
        addEnv(firstSentence(s.description, 90) ?? `Server ${i + 1}`, null, at);
        return;
      }
      addEnv(firstSentence(s.description, 90) ?? new URL(url).hostname, url, at);
    });
    if (servers.length === 0) addEnv('Production', null, st.at(['servers']));
  }
  if (envs.length === 1 && !envs.some((e) => e.production) && !/sandbox|staging|stage|test|dev|mock|local|demo/i.test(envs[0]!.name)) envs[0]!.production = true;
  out.environments = envs;

  // ------------------------------------------------------------ endpoints and presets
  const endpoints: { path: string; allow: Record<string, string[]> }[] = [];
  const presets: { required: number; preset: NonNullable<ProviderDefinitionInput['testPresets']>[number] }[] = [];
  const usedIds = new Set<string>();
  const paths = isObject(api.paths) ? api.paths : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    const template = parsePathTemplate(path);
    if (!template.ok) {
      out.unsupported.push({ location: st.at(['paths', path]), message: `the path cannot be an endpoint (${template.reason})` });
      continue;
    }
    const methods = METHODS.filter((m) => isObject(item[m]));
    if (methods.length === 0) continue;
    if (endpoints.length < MAX_ENDPOINTS) endpoints.push({ path, allow: { [ANY_TOKEN]: methods.map((m) => m.toUpperCase()) } });
    const op = item.get;
    if (!isObject(op)) continue;
    const params = [...(Array.isArray(item.parameters) ? item.parameters : []), ...(Array.isArray(op.parameters) ? op.parameters : [])].filter(isObject);
    const required = params.filter((p) => p.required === true || p.in === 'path').length;
    const hasPathParams = template.template.segments.some((s) => s.kind === 'param');
    let id = slug(typeof op.operationId === 'string' ? op.operationId : `get-${path}`, 'get');
    for (let i = 2; usedIds.has(id); i++) id = `${id.slice(0, 58)}-${i}`;
    usedIds.add(id);
    presets.push({
      required,
      preset: {
        id,
        label: (firstSentence(op.summary, 100) ?? `GET ${path}`).slice(0, 100),
        method: 'GET',
        path,
        safe: true,
        pathEditable: hasPathParams,
        ...(required > 0 ? { note: `Needs ${required} required parameter${required === 1 ? '' : 's'}: fill ${required === 1 ? 'it' : 'them'} in before testing.` } : {}),
      },
    });
  }
  presets.sort((a, b) => a.required - b.required || a.preset.path.length - b.preset.path.length);
  const testPresets = presets.slice(0, MAX_PRESETS).map((p) => p.preset);

  const definition: ProviderDefinitionInput = {
    schemaVersion: 1,
    id: slug(title, 'imported-api'),
    name: title,
    ...(firstSentence(info.description, 2000) ? { description: firstSentence(info.description, 2000)! } : {}),
    auth: auth.length > 0 ? auth : [{ scheme: 'bearer' }],
    environments: envs.map((e) => ({ name: e.name, defaultBaseUrl: e.baseUrl ?? null, production: e.production ?? false })),
    testPresets,
    lifetimes: { neverExpires: false, note: 'The API description says nothing of token lifetimes: record the expiry your provider gives a token.' },
    rotationAdviceDays: null,
    portal: {},
    revocation: {
      mode: 'portal',
      steps: ['Revoke the token where it was created (the provider’s portal or settings)'],
      ...(presets[0] && presets[0].required === 0 ? { verifyWith: presets[0].preset.id } : {}),
    },
    ...(endpoints.length > 0
      ? {
          roles: {
            kind: 'role_matrix',
            label: 'Endpoints from the API description',
            note: `Imported from ${fileName}: the document lists endpoints but no roles, so one role allows every documented method. Edit the roles when you know them.`,
            roles: [ANY_TOKEN],
            endpoints,
          },
        }
      : {}),
  };
  if (out.problems.length === 0) {
    const checked = parseProviderDefinition(definition);
    if (!checked.ok) out.problems.push(...checked.errors.map((e): ImportProblem => ({ location: `provider definition: ${e.path}`, message: e.reason })));
    else out.provider = checked.definition;
  }
  return out;
}
