import { describe, expect, it } from 'vitest';
import { PermissionModel } from './model';
import { coarseInput, matrix, matrixInput, scopeInput, tokenTypesInput } from './test-fixtures';

function problems(input: unknown): { path: string; message: string }[] {
  const r = PermissionModel.safeParse(input);
  if (r.success) return [];
  return r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

describe('PermissionModel', () => {
  it('accepts one model of each kind', () => {
    for (const input of [matrixInput, scopeInput, tokenTypesInput, coarseInput]) expect(problems(input)).toEqual([]);
  });

  it('drops empty method lists, so a matrix has one canonical shape', () => {
    expect(matrix.kind === 'role_matrix' && matrix.endpoints[4]).toEqual({ path: '/audit', allow: {} });
  });

  it('upper-cases methods as documents may write them in lower case', () => {
    const m = PermissionModel.parse({ ...matrixInput, aliases: [], endpoints: [{ path: '/x', allow: { Admin: ['get', 'Post'] } }] });
    expect(m.kind === 'role_matrix' && m.endpoints[0]!.allow.Admin).toEqual(['GET', 'POST']);
  });

  describe('role_matrix refuses', () => {
    it('a role listed twice, compared case-insensitively', () => {
      expect(problems({ ...matrixInput, roles: ['Admin', 'Viewer', 'admin '] })).toContainEqual({ path: 'roles.2', message: 'repeats the role "Admin"' });
    });

    it('cells for roles that are not columns, with the right spelling when it is only a matter of case', () => {
      const p = problems({ ...matrixInput, endpoints: [{ path: '/x', allow: { viewer: ['GET'], Boss: ['GET'] } }] });
      expect(p).toContainEqual({ path: 'endpoints.0.allow.viewer', message: 'is spelled "Viewer" in roles' });
      expect(p).toContainEqual({ path: 'endpoints.0.allow.Boss', message: 'is not one of the roles listed in roles' });
    });

    it('two rows for one endpoint, even spelled differently', () => {
      const p = problems({ ...matrixInput, aliases: [], endpoints: [{ path: '/a/{id}', allow: {} }, { path: '/a/:x/', allow: {} }] });
      expect(p).toEqual([{ path: 'endpoints.1.path', message: 'describes the same endpoint as /a/{id}' }]);
    });

    it('a method repeated in a cell, and an unknown one', () => {
      const p = problems({ ...matrixInput, endpoints: [{ path: '/x', allow: { Admin: ['GET', 'get', 'FETCH'] } }], aliases: [] });
      expect(p).toContainEqual({ path: 'endpoints.0.allow.Admin.2', message: 'must be one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS' });
    });

    it('a repeated method once the list parses', () => {
      const p = problems({ ...matrixInput, endpoints: [{ path: '/x', allow: { Admin: ['GET', 'get'] } }], aliases: [] });
      expect(p).toEqual([{ path: 'endpoints.0.allow.Admin.1', message: 'repeats GET' }]);
    });

    it('aliases that point nowhere, shadow an endpoint or repeat', () => {
      const p = problems({
        ...matrixInput,
        aliases: [
          { alias: '/nowhere-alias', path: '/nowhere', note: '' },
          { alias: '/invoices', path: '/users/me', note: '' },
          { alias: '/x', path: '/invoices', note: '' },
          { alias: '/x/', path: '/invoices', note: '' },
        ],
      });
      expect(p).toEqual([
        { path: 'aliases.0.path', message: 'is not an endpoint of this matrix' },
        { path: 'aliases.1.alias', message: 'is already an endpoint of this matrix' },
        { path: 'aliases.3.alias', message: 'repeats aliases[2]' },
      ]);
    });

    it('__proto__ as a role or a cell key, which would vanish as an object key', () => {
      expect(problems({ ...matrixInput, roles: ['__proto__'] })).toContainEqual({ path: 'roles.0', message: 'is a reserved word' });
      const p = problems(JSON.parse('{"kind":"role_matrix","label":"x","roles":["A"],"endpoints":[{"path":"/x","allow":{"__proto__":["GET"]}}]}'));
      expect(p).toContainEqual({ path: 'endpoints.0.allow.__proto__', message: 'is a reserved word' });
    });

    it('an empty role list and a bad path', () => {
      const p = problems({
        kind: 'role_matrix',
        label: 'x',
        roles: [],
        endpoints: [{ path: 'x', allow: {} }, { path: 'x', allow: {} }],
        aliases: [{ alias: 'y', path: 'x', note: '' }],
      });
      // Every malformed path is reported once, and nothing trips over them.
      expect(p).toEqual([
        { path: 'roles', message: 'must list at least one role' },
        { path: 'endpoints.0.path', message: 'must start with "/"' },
        { path: 'endpoints.1.path', message: 'must start with "/"' },
        { path: 'aliases.0.alias', message: 'must start with "/"' },
        { path: 'aliases.0.path', message: 'must start with "/"' },
      ]);
    });
  });

  describe('scope_set refuses', () => {
    it('scopes that do not name a listed action and resource', () => {
      const p = problems({ ...scopeInput, scopes: [{ name: 'read:orders' }, { name: 'delete:orders' }, { name: 'read:payments' }, { name: 'read' }, { name: 'read:orders:x' }] });
      expect(p.map((x) => x.path)).toEqual(['scopes.1.name', 'scopes.2.name', 'scopes.3.name', 'scopes.4.name']);
      expect(p[0]!.message).toBe('must be action:resource or action:* with a listed action (read, write) and resource');
    });

    it('a method claimed by two actions, and a repeated scope', () => {
      const p = problems({
        ...scopeInput,
        actions: [
          { name: 'read', methods: ['GET'] },
          { name: 'write', methods: ['POST', 'GET'] },
        ],
        scopes: [{ name: 'read:*' }, { name: 'read:*' }],
      });
      expect(p).toEqual([
        { path: 'scopes.1.name', message: 'repeats the scope "read:*"' },
        { path: 'actions.1.methods.1', message: 'GET already belongs to read' },
      ]);
    });
  });

  describe('token_types refuses', () => {
    it('an action path without {contentType}, a repeated route, unknown actions in a type, two permission types', () => {
      const p = problems({
        ...tokenTypesInput,
        actions: [
          { name: 'find', method: 'GET', path: '/api/{type}/all' },
          { name: 'list', method: 'GET', path: '/api/{contentType}' },
          { name: 'again', method: 'GET', path: '/api/:contentType/' },
        ],
        types: [
          { name: 'read-only', label: 'Read-only', grants: 'actions', actions: ['find', 'findOne'] },
          { name: 'custom', label: 'Custom', grants: 'permissions' },
          { name: 'custom-2', label: 'Custom 2', grants: 'permissions' },
        ],
      });
      expect(p).toEqual([
        { path: 'actions.0.path', message: 'must name the content type as {contentType}' },
        { path: 'actions.2', message: 'is the same route as actions[1]' },
        { path: 'types.0.actions.1', message: 'is not one of the listed actions' },
        { path: 'types', message: 'may have only one token type that grants per-content-type permissions' },
      ]);
    });

    it('an unknown grants value', () => {
      const p = problems({ ...tokenTypesInput, types: [{ name: 'x', label: 'X', grants: 'everything' }] });
      expect(p[0]!.path).toBe('types.0.grants');
    });
  });

  describe('coarse_scopes refuses', () => {
    it('includes that do not name an earlier level, and a method in two levels', () => {
      const p = problems({
        ...coarseInput,
        levels: [
          { name: 'Read', methods: ['GET'], includes: 'Write' },
          { name: 'Write', methods: ['POST', 'GET'], includes: 'Read' },
        ],
      });
      expect(p).toEqual([
        { path: 'levels.0.includes', message: 'must name an earlier level' },
        { path: 'levels.1.methods.1', message: 'GET already belongs to Read' },
      ]);
    });
  });

  it('refuses an unknown kind and unknown fields', () => {
    expect(problems({ kind: 'acl', label: 'x' })[0]!.path).toBe('kind');
    expect(problems({ ...coarseInput, extra: 1 })[0]!.message).toBe('Unrecognized key: "extra"');
  });
});
