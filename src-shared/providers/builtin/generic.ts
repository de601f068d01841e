import type { ProviderDefinitionInput } from '../schema';

/**
 * The two generic providers, so that any other API works on day one: the
 * user gives the base URL of each environment and, for an API key, its
 * header. No permission model, so grants are free-form.
 */

const ENVIRONMENTS: ProviderDefinitionInput['environments'] = [
  { name: 'Sandbox', defaultBaseUrl: null, production: false },
  { name: 'Production', defaultBaseUrl: null, production: true },
];

const CUSTOM_REQUEST = {
  id: 'custom',
  label: 'Custom request',
  method: 'GET',
  path: '/',
  safe: true,
  pathEditable: true,
  note: 'Pick a cheap read-only endpoint of your API.',
} as const;

const COMMON = {
  schemaVersion: 1,
  environments: ENVIRONMENTS,
  testPresets: [CUSTOM_REQUEST],
  lifetimes: { neverExpires: false, note: 'Record the expiry your provider gives the token, if it has one.' },
  rotationAdviceDays: null,
  portal: {},
  revocation: {
    mode: 'portal',
    steps: ['Revoke the token where it was created (the provider’s portal or settings)'],
    verifyWith: CUSTOM_REQUEST.id,
  },
} satisfies Partial<ProviderDefinitionInput>;

export const genericBearer: ProviderDefinitionInput = {
  ...COMMON,
  id: 'bearer',
  name: 'Bearer token',
  description: 'Any API that takes Authorization: Bearer <token>.',
  auth: [{ scheme: 'bearer' }],
};

export const genericApiKey: ProviderDefinitionInput = {
  ...COMMON,
  id: 'api-key',
  name: 'API key in a header',
  description: 'Any API that takes a key in a header of your choice (X-API-Key unless you change it).',
  auth: [{ scheme: 'api_key', headerName: 'X-API-Key', headerNameEditable: true }],
};
