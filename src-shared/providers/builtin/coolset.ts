import type { ProviderDefinitionInput } from '../schema';

/** Coolset, from seed 003 ("Authentication"). */
export const coolset: ProviderDefinitionInput = {
  schemaVersion: 1,
  id: 'coolset',
  name: 'Coolset',
  description: 'Coolset API: Bearer tokens per company, inheriting the permissions of the user who created them.',
  auth: [{ scheme: 'bearer', label: 'API token' }],
  environments: [
    {
      name: 'Production',
      // The seed shows two hosts: https://developers.coolset.com in its curl
      // example (the request this provider's identity preset makes), and
      // https://developers-scranton.coolset.com in the JavaScript and Python
      // samples. The first is chosen: it sits on the documentation's own
      // domain, and "scranton" reads like an internal deployment name the
      // seed never introduces. Neither is named as sandbox or production.
      defaultBaseUrl: 'https://developers.coolset.com',
      production: true,
    },
  ],
  testPresets: [
    {
      id: 'user-config',
      label: 'Who am I (user configuration)',
      method: 'GET',
      path: '/api/accounts/user-config/',
      safe: true,
      // The seed does not show this response, so no field is named yet.
      identity: { note: 'The documentation does not show the response, so the account and company fields are not known.' },
    },
    { id: 'list-orders', label: 'List orders', method: 'GET', path: '/api/orders/', safe: true },
  ],
  lifetimes: {
    neverExpires: true,
    note: 'API tokens do not expire automatically: they remain valid until manually revoked.',
  },
  rotationAdviceDays: 90,
  errorShapes: [
    {
      status: 401,
      meaning: 'the token is missing or invalid',
      cause: 'Missing or invalid token.',
      solution: 'Verify the token is correct and properly formatted in the Authorization header.',
      body: { detail: 'Authentication credentials were not provided.' },
    },
    {
      status: 403,
      meaning: 'the token is valid but lacks the permission for this call',
      cause: 'Valid token but insufficient permissions.',
      solution: 'Check your user role and token permissions.',
      body: { detail: 'You do not have permission to perform this action.' },
    },
  ],
  // The seed says nothing about rate limits.
  portal: {
    tokenPage: 'Settings → API Tokens',
    // The seed does not say who may create tokens, only what they inherit.
    createSteps: [
      'Log in to your Coolset account',
      'Navigate to Settings → API Tokens',
      'Click Generate New Token',
      'Copy and securely store your token',
    ],
    notes: [
      'Tokens inherit the permissions of the user who created them.',
      'Each token is associated with a specific company: switch companies in the UI before generating tokens.',
      'Generate separate tokens for each integration or service, and separate tokens for development and production.',
    ],
  },
  revocation: {
    mode: 'portal',
    steps: ['Go to Settings → API Tokens', 'Click Revoke next to the token', 'The token becomes immediately invalid'],
    verifyWith: 'user-config',
  },
  roles: {
    kind: 'coarse_scopes',
    label: 'Coolset scopes',
    note: 'The seed names three scopes without listing endpoints. Read is taken as GET and HEAD, Write (create and update) as POST, PUT and PATCH, and DELETE as Admin only ("full access"). Which endpoints are user management is not documented.',
    levels: [
      { name: 'Read', description: 'View data across all endpoints', methods: ['GET', 'HEAD'] },
      { name: 'Write', description: 'Create and update resources', methods: ['POST', 'PUT', 'PATCH'], includes: 'Read' },
      { name: 'Admin', description: 'Full access including user management', methods: ['DELETE'], includes: 'Write' },
    ],
  },
};
