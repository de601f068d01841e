import type { ProviderDefinitionInput } from '../schema';

/**
 * Regen Therapy, from seed 001 ("Authentication"): API keys with scopes for
 * servers, JWT sessions for users, and per-key rate limits.
 */

/**
 * The resources the documented scopes name. The seed shows only one path,
 * /api/v1/orders; the others are assumed to follow it as /api/v1/{resource}.
 */
const RESOURCES = ['orders', 'products', 'inventory', 'commissions', 'customers', 'webhooks', 'analytics'] as const;

/** The documented scope table, with its descriptions. analytics is read-only: there is no write:analytics. */
const SCOPES: { name: string; description: string }[] = [
  { name: 'read:*', description: 'Read access to all resources' },
  { name: 'write:*', description: 'Write access to all resources' },
  { name: 'read:orders', description: 'Read orders' },
  { name: 'write:orders', description: 'Create and update orders' },
  { name: 'read:products', description: 'Read products' },
  { name: 'write:products', description: 'Create and update products' },
  { name: 'read:inventory', description: 'Read inventory levels' },
  { name: 'write:inventory', description: 'Adjust inventory' },
  { name: 'read:commissions', description: 'Read commission records' },
  { name: 'write:commissions', description: 'Create payouts' },
  { name: 'read:customers', description: 'Read customer data' },
  { name: 'write:customers', description: 'Update customer data' },
  { name: 'read:webhooks', description: 'Read webhook configurations' },
  { name: 'write:webhooks', description: 'Manage webhook endpoints' },
  { name: 'read:analytics', description: 'Read analytics data' },
];

export const regenTherapy: ProviderDefinitionInput = {
  schemaVersion: 1,
  id: 'regen-therapy',
  name: 'Regen Therapy',
  description: 'Regen Therapy API: scoped API keys for server-to-server calls, JWT sessions for user-authenticated requests.',
  auth: [
    { scheme: 'api_key', label: 'API key', headerName: 'X-API-Key' },
    {
      scheme: 'jwt_session',
      label: 'User session (JWT)',
      login: { method: 'POST', path: '/api/auth/login', emailField: 'email', passwordField: 'password' },
      // The seed says sessions are "refreshable with refresh token" but does not
      // document the refresh request, so none is given here; a session is
      // renewed by logging in again until it is documented.
      responseFields: {
        accessToken: 'data.accessToken',
        refreshToken: 'data.refreshToken',
        expiresIn: 'data.expiresIn',
        account: 'data.user.email',
        role: 'data.user.role',
      },
      accessTokenLifetimeSeconds: 3_600,
      refreshTokenLifetimeSeconds: 7 * 86_400,
      note: 'The access token goes in the Authorization header as a Bearer token.',
    },
  ],
  environments: [
    {
      name: 'Production',
      // The only host the seed shows; it documents no sandbox.
      defaultBaseUrl: 'https://gateway.regentherapy.com',
      production: true,
    },
  ],
  testPresets: [
    {
      id: 'list-orders',
      label: 'List orders',
      method: 'GET',
      path: '/api/v1/orders',
      safe: true,
      note: 'An API key needs read:orders or read:* for this call.',
    },
    // The seed documents no "who am I" endpoint; the login response names the user instead.
  ],
  lifetimes: {
    neverExpires: false,
    note: 'API keys are "long-lived" and can be rotated without downtime, but the seed states no lifetime. Sessions: the access token lives 1 hour, the refresh token 7 days.',
  },
  // The seed recommends no rotation period.
  rotationAdviceDays: null,
  errorShapes: [
    {
      status: 429,
      meaning: 'too many requests for this API key: wait as long as Retry-After says',
      cause: 'A rate limit of the key was reached (standard, burst or write operations).',
      // The seed shows no 429 body, and no 401 or 403 shape.
    },
  ],
  rateLimits: {
    per: 'per API key',
    headers: {
      limit: 'X-RateLimit-Limit',
      remaining: 'X-RateLimit-Remaining',
      reset: 'X-RateLimit-Reset',
      // "Unix timestamp when the window resets": read as seconds since the epoch.
      resetFormat: 'unix_seconds',
      retryAfter: 'Retry-After',
    },
    tiers: [
      { name: 'Standard', limit: 100, windowSeconds: 3_600 },
      { name: 'Burst', limit: 10, windowSeconds: 60 },
      { name: 'Write Operations', limit: 50, windowSeconds: 3_600, appliesTo: 'writes' },
    ],
  },
  portal: {
    tokenPage: 'Partner Portal: Settings → API Keys',
    createSteps: [
      'Log in to your Partner Portal',
      'Navigate to Settings → API Keys',
      'Click "Create New Key"',
      'Select the required scopes for your integration',
      'Copy the key immediately - it won’t be shown again',
    ],
    // The seed gives no URL for the Partner Portal.
    notes: ['Never expose API keys in client-side code: always make API calls from your server.'],
  },
  tokenFormats: [
    // The seed's example key is rg_abc123_your_secret_key_here; only the prefix is certain.
    { scheme: 'api_key', pattern: '^rg_', message: 'Regen Therapy API keys start with rg_' },
    {
      scheme: 'jwt_session',
      pattern: '^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*$',
      message: 'a session access token is a JWT: three base64url parts separated by dots',
    },
  ],
  revocation: {
    mode: 'portal',
    // The seed documents key creation and "rotation without downtime" on this
    // page, but not a revoke control; the last step says so.
    steps: [
      'Log in to your Partner Portal',
      'Navigate to Settings → API Keys',
      'Find the key and revoke or rotate it (the documentation does not describe this control)',
    ],
    verifyWith: 'list-orders',
  },
  roles: {
    kind: 'scope_set',
    label: 'Regen Therapy scopes',
    note: 'Scopes limit API keys. JWT sessions carry the user’s role (e.g. CLIENT_OWNER), which the seed does not map to endpoints. Write scopes are read as covering POST, PUT, PATCH and DELETE.',
    appliesTo: ['api_key'],
    actions: [
      { name: 'read', methods: ['GET', 'HEAD'] },
      { name: 'write', methods: ['POST', 'PUT', 'PATCH', 'DELETE'] },
    ],
    resources: RESOURCES.map((name) => ({ name, path: `/api/v1/${name}` })),
    scopes: SCOPES,
  },
};
