import type { ProviderDefinitionInput } from '../schema';

/** Built Accounting, from seed 004 ("Authentication"). */
export const builtAccounting: ProviderDefinitionInput = {
  schemaVersion: 1,
  id: 'built-accounting',
  name: 'Built Accounting',
  description: 'Built Accounting API: business-scoped access tokens, created by business owners; HTTPS only.',
  auth: [{ scheme: 'bearer', label: 'Access token' }],
  environments: [
    {
      name: 'Sandbox',
      defaultBaseUrl: 'https://fxweb.builtaccounting.com',
      production: false,
      portalUrl: 'https://test.built.africa',
      note: 'Testing or staging: unrestricted experimentation without affecting live data.',
    },
    {
      name: 'Production',
      defaultBaseUrl: 'https://web.builtaccounting.com',
      production: true,
      portalUrl: 'https://app.built.africa',
      note: 'Production access requires your application to pass a review.',
    },
  ],
  testPresets: [
    // The seed's only example request. It documents no "who am I" call
    // (such as a business endpoint), so there is no identity preset.
    { id: 'list-invoices', label: 'List invoices', method: 'GET', path: '/api/invoices', safe: true },
  ],
  lifetimes: {
    neverExpires: false,
    note: 'The documentation states no lifetime for access tokens.',
  },
  // The seed gives no rotation advice and no rate limits.
  rotationAdviceDays: null,
  errorShapes: [
    {
      status: 401,
      meaning: 'the request was not authenticated: the access token is missing or was not accepted',
      cause: 'API requests made without authentication fail with 401 Unauthorized.',
      // The seed shows no body.
    },
  ],
  portal: {
    tokenPage: 'Developer Portal > API Access > Generate Access Token',
    whoCanCreate: 'Only business owners can create access tokens.',
    createSteps: [
      'Create a developer account on the Developer Portal of your environment (Sandbox or Production)',
      'For production, wait until your application is approved',
      'Navigate to the API Access section of the portal',
      'Select Generate Access Token',
      'Copy the token: you will only see it once',
    ],
    links: [
      { label: 'Developer Portal (Sandbox)', url: 'https://test.built.africa' },
      { label: 'Developer Portal (Production)', url: 'https://app.built.africa' },
    ],
    notes: [
      'Access tokens belong to a business, not to a user; a business can have several tokens.',
      'All API requests must be made over HTTPS.',
    ],
  },
  revocation: {
    mode: 'portal',
    // The seed says existing tokens are managed from API Access but does not
    // describe revoking; the last step says so.
    steps: [
      'Sign in to the Developer Portal of the token’s environment as the business owner',
      'Navigate to the API Access section',
      'Find the token among the existing tokens and remove it (the documentation does not describe this control)',
    ],
    verifyWith: 'list-invoices',
  },
  // No permission model: the seed scopes tokens to a business and lists no roles or scopes.
};
