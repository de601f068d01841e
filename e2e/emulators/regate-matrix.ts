/**
 * Regate's role × endpoint × method matrix, transcribed cell by cell from
 * shared/seeds/000 ("Token permissions"). The rows keep the documentation's
 * column order, so the table below can be read against the seed side by side.
 * Paths are as documented, typos included (`/bank_accoutns`,
 * `/sales_vat_accoutns`); the emulator also serves the spelled-right aliases.
 */

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

export type RegateRole = (typeof REGATE_ROLES)[number];

export const REGATE_ENDPOINTS = [
  '/sales_invoices',
  '/customers',
  '/bank_accoutns',
  '/sales_vat_accoutns',
  '/products',
  '/users',
  '/user_roles',
  '/analytical_plans',
  '/analytical_plans/{plan_id}/cost_centers',
] as const;

export type RegateEndpoint = (typeof REGATE_ENDPOINTS)[number];

export type RegateMethod = 'GET' | 'POST' | 'PATCH';

/** Spelled-right paths served as aliases of the documented (misspelled) ones. */
export const REGATE_PATH_ALIASES: Readonly<Record<string, RegateEndpoint>> = {
  '/bank_accounts': '/bank_accoutns',
  '/sales_vat_accounts': '/sales_vat_accoutns',
};

// One string per role, in REGATE_ROLES order; '' = no access.
const ROWS: Record<RegateEndpoint, readonly string[]> = {
  '/sales_invoices':      ['POST, GET',        'POST, GET',        'POST, GET',        'POST, GET',        'POST, GET',        'GET', 'POST, GET', '',    'POST, GET', '',    'POST, GET'],
  '/customers':           ['POST, GET, PATCH', 'POST, GET, PATCH', 'POST, GET, PATCH', 'POST, GET, PATCH', 'POST, GET, PATCH', '',    '',          '',    'GET',       'GET', 'GET'],
  '/bank_accoutns':       ['GET',              'GET',              'GET',              'GET',              '',                 'GET', '',          '',    'GET',       'GET', 'GET'],
  '/sales_vat_accoutns':  ['GET',              'GET',              'GET',              'GET',              'GET',              'GET', 'GET',       'GET', 'GET',       'GET', 'GET'],
  '/products':            ['',                 'POST, GET',        'POST, GET',        '',                 '',                 '',    '',          '',    '',          '',    ''],
  '/users':               ['GET',              'POST, GET, PATCH', 'GET',              'GET',              'GET',              'GET', 'GET',       'GET', 'GET',       'GET', 'GET'],
  '/user_roles':          ['GET',              'GET',              'GET',              'GET',              'GET',              'GET', 'GET',       'GET', 'GET',       'GET', 'GET'],
  '/analytical_plans':    ['GET',              'GET',              'GET',              'GET',              'GET',              '',    'GET',       'GET', 'GET',       'GET', 'GET'],
  '/analytical_plans/{plan_id}/cost_centers':
                          ['GET',              'GET',              'GET',              'GET',              'GET',              '',    'GET',       'GET', 'GET',       'GET', 'GET'],
};

function parseCell(cell: string): RegateMethod[] {
  return cell
    .split(',')
    .map((m) => m.trim())
    .filter((m): m is RegateMethod => m === 'GET' || m === 'POST' || m === 'PATCH');
}

/** REGATE_MATRIX[endpoint][role] = the methods the documentation allows. */
export const REGATE_MATRIX: Readonly<Record<RegateEndpoint, Readonly<Record<RegateRole, readonly RegateMethod[]>>>> = Object.freeze(
  Object.fromEntries(
    REGATE_ENDPOINTS.map((ep) => [
      ep,
      Object.freeze(Object.fromEntries(REGATE_ROLES.map((role, i) => [role, Object.freeze(parseCell(ROWS[ep][i] ?? ''))]))),
    ]),
  ) as Record<RegateEndpoint, Record<RegateRole, readonly RegateMethod[]>>,
);

/** Fields a POST body must carry (the emulator's choice; the seed lists none). */
export const REGATE_REQUIRED_FIELDS: Readonly<Partial<Record<RegateEndpoint, readonly string[]>>> = {
  '/sales_invoices': ['customer_id', 'date'],
  '/customers': ['name'],
  '/products': ['name'],
  '/users': ['email'],
};

/** A body that each POST/PATCH-able endpoint accepts, for tests and probes. */
export const REGATE_SAMPLE_BODIES: Readonly<Partial<Record<RegateEndpoint, Record<string, unknown>>>> = {
  '/sales_invoices': { customer_id: 1, date: '2025-01-31', lines: [{ label: 'Consulting', amount: 1200 }] },
  '/customers': { name: 'Dunder Mifflin' },
  '/products': { name: 'Paper, A4', unit_price: 4.5 },
  '/users': { email: 'new.user@example.com', first_name: 'New' },
};

export function isRegateRole(v: unknown): v is RegateRole {
  return typeof v === 'string' && (REGATE_ROLES as readonly string[]).includes(v);
}
