import { PermissionModel, type PermissionModelInput } from './model';

/** Small models of each kind, shaped like the built-ins but independent of them. */

export const matrixInput: PermissionModelInput = {
  kind: 'role_matrix',
  label: 'Test matrix',
  roles: ['Admin', 'Manager (invoices)', 'Viewer'],
  endpoints: [
    { path: '/invoices', allow: { Admin: ['POST', 'GET'], 'Manager (invoices)': ['GET'] } },
    { path: '/plans/{plan_id}/items', allow: { Viewer: ['GET'], Admin: ['GET', 'DELETE'] } },
    { path: '/users/{id}', allow: { Admin: ['GET', 'PATCH'] } },
    { path: '/users/me', allow: { Viewer: ['GET'], Admin: ['GET'], 'Manager (invoices)': ['GET'] } },
    { path: '/audit', allow: { Viewer: [] } },
  ],
  aliases: [{ alias: '/invoicse', path: '/invoices', note: 'typo in the documents' }],
};

export const scopeInput: PermissionModelInput = {
  kind: 'scope_set',
  label: 'Test scopes',
  appliesTo: ['api_key'],
  actions: [
    { name: 'read', methods: ['GET', 'HEAD'] },
    { name: 'write', methods: ['POST', 'PUT', 'PATCH', 'DELETE'] },
  ],
  resources: [
    { name: 'orders', path: '/api/v1/orders' },
    { name: 'analytics', path: '/api/v1/analytics' },
  ],
  scopes: [
    { name: 'read:*' },
    { name: 'write:*' },
    { name: 'read:orders' },
    { name: 'write:orders' },
    { name: 'read:analytics' },
  ],
};

export const tokenTypesInput: PermissionModelInput = {
  kind: 'token_types',
  label: 'Test token types',
  actions: [
    { name: 'find', method: 'GET', path: '/api/{contentType}' },
    { name: 'findOne', method: 'GET', path: '/api/{contentType}/{id}' },
    { name: 'create', method: 'POST', path: '/api/{contentType}' },
    { name: 'update', method: 'PUT', path: '/api/{contentType}/{id}' },
    { name: 'delete', method: 'DELETE', path: '/api/{contentType}/{id}' },
  ],
  types: [
    { name: 'read-only', label: 'Read-only', grants: 'actions', actions: ['find', 'findOne'] },
    { name: 'full-access', label: 'Full access', grants: 'all' },
    { name: 'custom', label: 'Custom', grants: 'permissions' },
  ],
};

export const coarseInput: PermissionModelInput = {
  kind: 'coarse_scopes',
  label: 'Test levels',
  levels: [
    { name: 'Read', description: 'View data', methods: ['GET', 'HEAD'] },
    { name: 'Write', description: 'Create and update', methods: ['POST', 'PUT', 'PATCH'], includes: 'Read' },
    { name: 'Admin', description: 'Full access', methods: ['DELETE'], includes: 'Write' },
  ],
};

export const matrix = PermissionModel.parse(matrixInput);
export const scopes = PermissionModel.parse(scopeInput);
export const tokenTypes = PermissionModel.parse(tokenTypesInput);
export const coarse = PermissionModel.parse(coarseInput);
