import type { ProviderDefinitionInput } from '../schema';

/**
 * Strapi, from seed 002 ("Managing API tokens", the admin panel guide).
 *
 * The seed describes the admin panel only. Three things here come from
 * Strapi's developer documentation and source instead, and are marked where
 * they appear: the content-API routes behind the token types, the Admin API
 * requests behind the panel's list/create/regenerate/delete, and the admin
 * login that authorizes them.
 */
export const strapi: ProviderDefinitionInput = {
  schemaVersion: 1,
  id: 'strapi',
  name: 'Strapi',
  description: 'Strapi (self-hosted): API tokens for the REST and GraphQL content APIs, managed by administrators.',
  auth: [
    { scheme: 'bearer', label: 'API token' },
    {
      scheme: 'jwt_session',
      purpose: 'management',
      label: 'Admin panel login',
      // Not in the seed: Strapi's Admin API login, which the admin panel itself uses.
      login: { method: 'POST', path: '/admin/login', emailField: 'email', passwordField: 'password' },
      responseFields: { accessToken: 'data.token', account: 'data.user.email' },
      // Configured per server (admin JWT options); the seed is silent, so the JWT's exp decides.
      accessTokenLifetimeSeconds: null,
      refreshTokenLifetimeSeconds: null,
      note: 'Only used to list, create, regenerate and delete API tokens; the administrator needs the API tokens permissions.',
    },
  ],
  environments: [
    {
      name: 'Production',
      // Strapi is self-hosted: there is no public host to default to.
      defaultBaseUrl: null,
      production: true,
    },
  ],
  testPresets: [
    {
      id: 'list-entries',
      label: 'List entries of a content type',
      method: 'GET',
      path: '/api/articles',
      safe: true,
      // Content types are each project's own, so the path is a placeholder the user edits.
      pathEditable: true,
      schemes: ['bearer'],
      note: 'Replace articles with the plural API ID of one of your content types. A custom token needs that type’s find permission.',
    },
  ],
  lifetimes: {
    neverExpires: false,
    options: [
      { label: '7 days', days: 7 },
      { label: '30 days', days: 30 },
      { label: '90 days', days: 90 },
      { label: 'Unlimited', days: null },
    ],
    note: 'The duration is chosen when the token is created.',
  },
  // The seed gives no rotation advice, and no error bodies or rate limits.
  rotationAdviceDays: null,
  errorShapes: [],
  portal: {
    tokenPage: 'Settings > Global settings > API Tokens (in your Strapi admin panel)',
    whoCanCreate:
      'Administrators whose role grants the API tokens permissions; the section is visible only with the API tokens > Read permission.',
    createSteps: [
      'Open Settings > Global settings > API Tokens',
      'Click Create new API Token',
      'Enter a name and, optionally, a description',
      'Choose a token duration: 7 days, 30 days, 90 days or Unlimited',
      'Choose a token type: Read-only, Full access or Custom (for Custom, tick the permissions per content type)',
      'Click Save, then copy the token shown at the top: it will not be displayed again',
    ],
    notes: [
      'The token list shows each token’s name, description, date of creation and date of last use.',
      'From the list a token can be edited (name, description, type, duration), regenerated or deleted.',
    ],
  },
  // Not in the seed: the Admin API requests behind the panel's actions (Strapi source, admin api-token routes).
  tokenManagement: {
    authorizedBy: 'jwt_session',
    list: {
      method: 'GET',
      path: '/admin/api-tokens',
      responseFields: {
        items: 'data',
        id: 'id',
        name: 'name',
        createdAt: 'createdAt',
        lastUsedAt: 'lastUsedAt',
        expiresAt: 'expiresAt',
        tokenType: 'type',
        lifespanMs: 'lifespan',
      },
    },
    create: {
      method: 'POST',
      path: '/admin/api-tokens',
      requestFields: { name: 'name', description: 'description', tokenType: 'type', lifespanMs: 'lifespan' },
      responseFields: { id: 'data.id', value: 'data.accessKey', expiresAt: 'data.expiresAt' },
    },
    regenerate: { method: 'POST', path: '/admin/api-tokens/:id/regenerate', responseFields: { value: 'data.accessKey' } },
    // Strapi answers 200 {data: null} for a token it does not know: no id there means it was already gone.
    revoke: { method: 'DELETE', path: '/admin/api-tokens/:id', responseFields: { id: 'data.id' } },
  },
  revocation: {
    mode: 'api',
    steps: ['Open Settings > Global settings > API Tokens', 'Click the delete button of the token'],
    verifyWith: 'list-entries',
  },
  roles: {
    kind: 'token_types',
    label: 'Strapi token types',
    appliesTo: ['bearer'],
    note: 'Routes from Strapi’s REST API reference (not in the seed): each collection type answers find, findOne, create, update and delete under /api. Single types and plugin routes are not modelled.',
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
      { name: 'custom', label: 'Custom', grants: 'permissions', description: 'Permissions chosen per content type, written as articles.find, articles.create, …' },
    ],
  },
};
