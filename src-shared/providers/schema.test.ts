import { describe, expect, it } from 'vitest';
import { parseProviderDefinition, type ProviderDefinitionInput } from './schema';
import { definitionIssuesPayload, formatPath } from './issues';

/** The smallest valid definition; each malformed case below starts from it. */
function minimal(): ProviderDefinitionInput {
  return {
    schemaVersion: 1,
    id: 'acme',
    name: 'Acme',
    auth: [{ scheme: 'bearer' }],
    environments: [{ name: 'Production', defaultBaseUrl: 'https://api.acme.test/', production: true }],
    lifetimes: { neverExpires: true },
    rotationAdviceDays: null,
    portal: {},
    revocation: { mode: 'portal', steps: ['Revoke it in the Acme console'] },
  };
}

function errorsOf(input: unknown) {
  const r = parseProviderDefinition(input);
  if (r.ok) throw new Error('expected the definition to be refused');
  return r.errors;
}

describe('parseProviderDefinition', () => {
  it('accepts a minimal definition and fills the defaults', () => {
    const r = parseProviderDefinition(minimal());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.definition.auth).toEqual([{ scheme: 'bearer', purpose: 'api' }]);
    expect(r.definition.environments[0]!.defaultBaseUrl).toBe('https://api.acme.test');
    expect(r.definition.testPresets).toEqual([]);
    expect(r.definition.errorShapes).toEqual([]);
    expect(r.definition.tokenFormats).toEqual([]);
    expect(r.definition.portal).toEqual({ createSteps: [], links: [], notes: [] });
    expect(r.definition.revocation).toEqual({ mode: 'portal', steps: ['Revoke it in the Acme console'], irreversible: false });
  });

  it('reads the text of a file, and refuses text that is not JSON', () => {
    expect(parseProviderDefinition(JSON.stringify(minimal())).ok).toBe(true);
    expect(errorsOf('{"id": ')).toEqual([{ path: '(root)', reason: expect.stringMatching(/^is not valid JSON \(/) }]);
    expect(errorsOf(42)).toEqual([{ path: '(root)', reason: 'must be an object' }]);
  });

  it('reports each structural problem with its path and reason', () => {
    const def = {
      ...minimal(),
      schemaVersion: 2,
      id: 'Acme Corp',
      auth: [{ scheme: 'api_key', headerNmae: 'X-Key' }, { scheme: 'oauth2' }, { scheme: 'bearer', purpose: 'admin' }],
      environments: [],
      rotationAdviceDays: '90',
      colour: 'blue',
    };
    expect(errorsOf(def)).toEqual([
      { path: 'schemaVersion', reason: 'must be 1' },
      { path: 'id', reason: 'must be a provider id such as strapi or api-key' },
      { path: 'auth[0].headerName', reason: 'is required' },
      { path: 'auth[0].headerNmae', reason: 'is not a known field' },
      { path: 'auth[1].scheme', reason: 'must be one of "bearer", "api_key", "jwt_session"' },
      { path: 'auth[2].purpose', reason: 'must be "api" or "management"' },
      { path: 'environments', reason: 'must list at least one environment' },
      { path: 'rotationAdviceDays', reason: 'must be a number' },
      { path: 'colour', reason: 'is not a known field' },
    ]);
  });

  it('reports problems in nested values: URLs, header names, lifetimes, error shapes, formats', () => {
    const def = {
      ...minimal(),
      auth: [{ scheme: 'api_key', headerName: 'X API Key' }],
      environments: [
        { name: 'Production', defaultBaseUrl: 'http://api.acme.test', production: true, portalUrl: 'javascript:alert(1)' },
        { name: 'production', defaultBaseUrl: null, production: 'yes' },
      ],
      lifetimes: { neverExpires: true, options: [{ label: '7 days', days: 7 }] },
      errorShapes: [{ status: 200, meaning: 'fine' }],
      tokenFormats: [{ scheme: 'api_key', pattern: '^(ak_', message: 'starts with ak_' }],
      portal: { links: [{ label: 'Console', url: 'http://console.acme.test' }] },
    };
    expect(errorsOf(def)).toEqual([
      { path: 'auth[0].headerName', reason: 'must be a valid HTTP header name such as X-API-Key' },
      { path: 'environments[0].defaultBaseUrl', reason: 'must use https:// (plain http:// is only allowed for localhost)' },
      { path: 'environments[0].portalUrl', reason: 'must use https://' },
      { path: 'environments[1].production', reason: 'must be true or false' },
      { path: 'lifetimes.options', reason: 'must be empty when neverExpires is true' },
      { path: 'errorShapes[0].status', reason: 'must be at least 400' },
      { path: 'portal.links[0].url', reason: 'must use https://' },
      { path: 'tokenFormats[0].pattern', reason: 'is not a valid regular expression' },
    ]);
  });

  it('refuses repeated ids, names and statuses', () => {
    const def = {
      ...minimal(),
      auth: [{ scheme: 'bearer' }, { scheme: 'bearer', label: 'again' }],
      environments: [
        { name: 'Sandbox', defaultBaseUrl: null, production: false },
        { name: ' sandbox ', defaultBaseUrl: null, production: false },
      ],
      testPresets: [
        { id: 'me', label: 'Me', method: 'GET', path: '/me', safe: true },
        { id: 'me', label: 'Me again', method: 'GET', path: '/me', safe: true },
      ],
      errorShapes: [
        { status: 401, meaning: 'missing token' },
        { status: 401, meaning: 'bad token' },
      ],
    };
    expect(errorsOf(def)).toEqual([
      { path: 'auth[1].scheme', reason: 'repeats the scheme at index 0' },
      { path: 'environments[1].name', reason: 'repeats the environment name at index 0' },
      { path: 'testPresets[1].id', reason: 'repeats the preset id at index 0' },
      { path: 'errorShapes[1].status', reason: 'repeats the status at index 0' },
    ]);
  });

  it('refuses unsafe "safe" presets and presets with parameters the user cannot fill', () => {
    const def = {
      ...minimal(),
      testPresets: [
        { id: 'create', label: 'Create', method: 'POST', path: '/things', safe: true },
        { id: 'one', label: 'One', method: 'GET', path: '/things/{id}', safe: true },
        { id: 'two', label: 'Two', method: 'GET', path: '/things/{id}', safe: true, pathEditable: true },
      ],
    };
    expect(errorsOf(def)).toEqual([
      { path: 'testPresets[0].safe', reason: 'cannot be true for POST: only GET, HEAD and OPTIONS are safe' },
      { path: 'testPresets[1].path', reason: 'has parameters, so the preset must be pathEditable' },
    ]);
  });

  it('checks cross-references, even alongside other problems', () => {
    const def = {
      ...minimal(),
      name: '',
      auth: [{ scheme: 'bearer' }, { scheme: 'jwt_session', login: { method: 'POST', path: '/login', emailField: 'email', passwordField: 'password' }, refresh: { method: 'POST', path: '/refresh', bodyField: 'refreshToken' }, responseFields: { accessToken: 'data..token' }, accessTokenLifetimeSeconds: 3600, refreshTokenLifetimeSeconds: null }],
      testPresets: [{ id: 'me', label: 'Me', method: 'GET', path: '/me', safe: true, schemes: ['api_key'] }],
      tokenFormats: [{ scheme: 'api_key', pattern: '^ak_', message: 'starts with ak_' }],
      tokenManagement: { authorizedBy: 'api_key', list: { method: 'GET', path: '/tokens' } },
      revocation: { mode: 'api', verifyWith: 'whoami' },
      roles: { kind: 'coarse_scopes', label: 'Levels', appliesTo: ['api_key'], levels: [{ name: 'Read', methods: ['GET'] }] },
    };
    expect(errorsOf(def)).toEqual([
      { path: 'name', reason: 'must not be empty' },
      { path: 'auth[1].responseFields.accessToken', reason: 'must be a JSON path such as data.accessToken or items[0].id' },
      { path: 'auth[1].responseFields.refreshToken', reason: 'is required when refresh is given' },
      { path: 'tokenFormats[0].scheme', reason: 'names "api_key", which is not one of the schemes in auth' },
      { path: 'testPresets[0].schemes[0]', reason: 'names "api_key", which is not one of the schemes in auth' },
      { path: 'tokenManagement.authorizedBy', reason: 'names "api_key", which is not one of the schemes in auth' },
      { path: 'roles.appliesTo[0]', reason: 'names "api_key", which is not one of the schemes in auth' },
      { path: 'revocation.mode', reason: 'is "api", so tokenManagement.revoke must describe the request' },
      { path: 'revocation.verifyWith', reason: 'names "whoami", which is not a test preset id' },
    ]);
  });

  it('reports problems inside the permission model, with readable paths for role names', () => {
    const def = {
      ...minimal(),
      roles: {
        kind: 'role_matrix',
        label: 'Acme matrix',
        roles: ['Manager (invoices)', 'Viewer'],
        endpoints: [
          { path: '/invoices', allow: { 'manager (invoices)': ['GET'], Viewer: ['GET', 'FETCH'] } },
          { path: 'invoices', allow: {} },
        ],
      },
    };
    expect(errorsOf(def)).toEqual([
      { path: 'roles.endpoints[0].allow.Viewer[1]', reason: 'must be one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS' },
      { path: 'roles.endpoints[1].path', reason: 'must start with "/"' },
      { path: 'roles.endpoints[0].allow["manager (invoices)"]', reason: 'is spelled "Manager (invoices)" in roles' },
    ]);
  });

  it('refuses a definition without any API scheme, and a management list without requests', () => {
    const def = {
      ...minimal(),
      auth: [{ scheme: 'bearer', purpose: 'management' }],
      tokenManagement: { authorizedBy: 'bearer' },
    };
    expect(errorsOf(def)).toEqual([
      { path: 'auth', reason: 'must include one scheme with purpose "api"' },
      { path: 'tokenManagement', reason: 'must describe at least one of list, create, regenerate, revoke' },
    ]);
  });
});

describe('formatPath', () => {
  it('writes JSON paths people can follow', () => {
    expect(formatPath([])).toBe('(root)');
    expect(formatPath(['auth', 0, 'headerName'])).toBe('auth[0].headerName');
    expect(formatPath(['roles', 'endpoints', 3, 'allow', 'Manager (invoices)', 0])).toBe('roles.endpoints[3].allow["Manager (invoices)"][0]');
    expect(formatPath(['a-b'])).toBe('["a-b"]');
  });
});

describe('definitionIssuesPayload', () => {
  it('is a VALIDATION payload listing every issue', () => {
    expect(definitionIssuesPayload([{ path: 'id', reason: 'is required' }])).toEqual({
      code: 'VALIDATION',
      message: 'The provider definition is invalid: id is required.',
      issues: [{ path: 'id', message: 'is required' }],
    });
    expect(
      definitionIssuesPayload([
        { path: 'id', reason: 'is required' },
        { path: 'name', reason: 'must not be empty' },
      ]).message,
    ).toBe('The provider definition has 2 problems: id is required; name must not be empty.');
  });
});
