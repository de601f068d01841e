import type { HttpMethod } from '../../domain/http-method';
import type { ProviderDefinitionInput } from '../schema';

/**
 * Regate, from seed 000 ("Authentication"). Every fact below is the seed's;
 * where it is silent the comment says so.
 */

/** The roles exactly as the documented table spells them, in its column order. */
export const REGATE_ROLES = [
  'CFO with Certified accountant',
  'CFO',
  'Certified acc. Customer',
  'Certified accountant',
  'Certified acc. customer (no payment)',
  'Treasurer',
  'Manager (invoices)',
  'Manager (expenses)',
  'Chief accountant',
  'Accountant (expenses)',
  'Accountant (invoices)',
] as const;

type Cell = readonly HttpMethod[];
const __: Cell = [];
const G: Cell = ['GET'];
const PG: Cell = ['POST', 'GET'];
const PGP: Cell = ['POST', 'GET', 'PATCH'];

/** One table row: the cells in REGATE_ROLES order, as the seed writes them (an empty cell allows nothing). */
function row(path: string, cells: readonly Cell[]) {
  if (cells.length !== REGATE_ROLES.length) throw new Error(`Regate row ${path}: ${cells.length} cells`);
  const allow: Record<string, HttpMethod[]> = {};
  cells.forEach((methods, i) => {
    if (methods.length > 0) allow[REGATE_ROLES[i]!] = [...methods];
  });
  return { path, allow };
}

// Columns:                                   CFO+CA  CFO   CAC   CA    CAC-np Treas MgrI  MgrE  Chief AccE  AccI
const ENDPOINTS = [
  row('/sales_invoices',                     [PG,    PG,   PG,   PG,   PG,    G,    PG,   __,   PG,   __,   PG]),
  row('/customers',                          [PGP,   PGP,  PGP,  PGP,  PGP,   __,   __,   __,   G,    G,    G]),
  // Documented as /bank_accoutns (a typo); see aliases.
  row('/bank_accounts',                      [G,     G,    G,    G,    __,    G,    __,   __,   G,    G,    G]),
  // Documented as /sales_vat_accoutns (a typo); see aliases.
  row('/sales_vat_accounts',                 [G,     G,    G,    G,    G,     G,    G,    G,    G,    G,    G]),
  row('/products',                           [__,    PG,   PG,   __,   __,    __,   __,   __,   __,   __,   __]),
  row('/users',                              [G,     PGP,  G,    G,    G,     G,    G,    G,    G,    G,    G]),
  row('/user_roles',                         [G,     G,    G,    G,    G,     G,    G,    G,    G,    G,    G]),
  row('/analytical_plans',                   [G,     G,    G,    G,    G,     __,   G,    G,    G,    G,    G]),
  row('/analytical_plans/{plan_id}/cost_centers', [G, G,   G,    G,    G,     __,   G,    G,    G,    G,    G]),
];

const TYPO_NOTE =
  'The documented table spells this path with a typo ("accoutns"). The real API path is not confirmed by the seed; both spellings are checked against the same row.';

export const regate: ProviderDefinitionInput = {
  schemaVersion: 1,
  id: 'regate',
  name: 'Regate',
  description: 'Regate public API: Bearer tokens created in the Regate app, each limited by the user role chosen for it.',
  auth: [{ scheme: 'bearer', label: 'Bearer token' }],
  environments: [
    {
      name: 'Production',
      // The seed documents no API host and no sandbox: the user enters the base URL.
      defaultBaseUrl: null,
      production: true,
    },
  ],
  testPresets: [
    // Every one of the 11 documented roles may GET /users and /user_roles, so
    // these test any token without needing a particular role.
    { id: 'list-users', label: 'List users', method: 'GET', path: '/users', safe: true },
    { id: 'list-user-roles', label: 'List user roles', method: 'GET', path: '/user_roles', safe: true },
  ],
  lifetimes: {
    neverExpires: true,
    note: 'Bearer tokens "do not have a validity period and do not expire".',
  },
  // The seed gives no rotation advice.
  rotationAdviceDays: null,
  errorShapes: [
    {
      status: 403,
      meaning: "the token's role does not allow this call",
      cause: 'The request was authenticated with a token without permissions for that specific call.',
      solution: 'Use a token whose role allows the call (see the role matrix).',
      // The seed shows no 403 body, and documents no 401 at all.
    },
  ],
  // The seed says nothing about rate limits.
  portal: {
    tokenPage: 'Settings > Connect Regate to your tools > Public API',
    whoCanCreate: 'Only Regate users with a CFO role can access this section and create or manage Bearer tokens.',
    createSteps: [
      'In the Regate app, open Settings > Connect Regate to your tools > Public API',
      'Create a token: enter its name and select its user role permissions',
      'Copy the token value now: it is visible only once and Regate does not store it',
    ],
    notes: [
      'A user can create several tokens.',
      'The token list shows each token’s name, linked roles, generation date and last used date.',
    ],
  },
  revocation: {
    mode: 'portal',
    irreversible: true,
    steps: [
      'Sign in to the Regate app as a user with a CFO role',
      'Open Settings > Connect Regate to your tools > Public API',
      'Find the token by its name, linked roles and generation date',
      'Revoke it',
    ],
    verifyWith: 'list-users',
    note: 'Once revoked, a token cannot be reinstated.',
  },
  roles: {
    kind: 'role_matrix',
    label: 'Regate matrix',
    note: 'The user role permissions selected for a token decide which calls it may make; a call its role lacks gets 403 Forbidden.',
    roles: [...REGATE_ROLES],
    endpoints: ENDPOINTS,
    aliases: [
      { alias: '/bank_accoutns', path: '/bank_accounts', note: TYPO_NOTE },
      { alias: '/sales_vat_accoutns', path: '/sales_vat_accounts', note: TYPO_NOTE },
    ],
  },
};
