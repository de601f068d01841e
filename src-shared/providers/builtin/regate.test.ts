import { describe, expect, it } from 'vitest';
import { HTTP_METHODS } from '../../domain/http-method';
import { check, whoCanCall, allowedEndpoints } from '../../roles/check';
import { parseMarkdownTable } from '../../roles/table-import';
import type { RoleMatrixModel } from '../../roles/model';
import { getBuiltinProvider, REGATE_ROLES } from '../index';
import { REGATE_SEED_TABLE } from './regate.fixture';

const regate = getBuiltinProvider('regate')!;
const model = regate.roles as RoleMatrixModel;

const parsed = parseMarkdownTable(REGATE_SEED_TABLE);
if (!parsed.ok) throw new Error(`the seed table does not parse: ${JSON.stringify(parsed.errors)}`);
const seed = parsed.matrix;

/** The documented typos, and the corrected paths the built-in matrix uses for them. */
const CORRECTED: Record<string, string> = { '/bank_accoutns': '/bank_accounts', '/sales_vat_accoutns': '/sales_vat_accounts' };
const corrected = (path: string) => CORRECTED[path] ?? path;

/** A concrete request path for a documented row. */
const concrete = (path: string) => path.replace('{plan_id}', '42');

describe('Regate built-in matrix against the seed table', () => {
  it('has all 11 roles, in the documented spelling and order', () => {
    expect(model.kind).toBe('role_matrix');
    expect(model.roles).toEqual(seed.roles);
    expect(model.roles).toEqual([...REGATE_ROLES]);
    expect(model.roles).toHaveLength(11);
  });

  it('has every documented row, typos corrected', () => {
    expect(model.endpoints.map((e) => e.path)).toEqual(seed.endpoints.map((e) => corrected(e.path)));
    expect(seed.endpoints).toHaveLength(9);
  });

  it('keeps the documented typos as aliases of the corrected paths, with a note', () => {
    expect(model.aliases.map((a) => [a.alias, a.path])).toEqual([
      ['/bank_accoutns', '/bank_accounts'],
      ['/sales_vat_accoutns', '/sales_vat_accounts'],
    ]);
    for (const a of model.aliases) expect(a.note).toMatch(/typo/);
  });

  // One test per cell: 9 endpoints × 11 roles = 99 cells, each compared as data.
  const cells = seed.endpoints.flatMap((row, r) => seed.roles.map((role) => ({ row, r, role })));
  it.each(cells.map((c) => [c.row.path, c.role, c] as const))('cell %s × %s matches the seed', (_path, _role, { row, r, role }) => {
    const documented = row.allow[role] ?? [];
    const builtin = model.endpoints[r]!.allow[role] ?? [];
    expect([...builtin].sort()).toEqual([...documented].sort());
  });

  it('decides every role × endpoint × method exactly as the seed says, by the documented and the corrected path', () => {
    let checked = 0;
    for (const row of seed.endpoints) {
      for (const role of seed.roles) {
        for (const method of HTTP_METHODS) {
          const documented = (row.allow[role] ?? []).includes(method);
          for (const path of new Set([row.path, corrected(row.path)])) {
            const r = check(model, { role }, method, concrete(path));
            expect(r.decision, `${role} ${method} ${path}`).toBe(documented ? 'allowed' : 'denied');
            expect(r.endpoint).toBe(corrected(row.path));
            checked++;
          }
        }
      }
    }
    // 7 rows × 11 roles × 7 methods, plus the 2 typo rows checked twice.
    expect(checked).toBe(11 * 7 * (9 + 2));
  });
});

describe('Regate checks in words', () => {
  it('explains allowed and denied calls', () => {
    expect(check(model, { role: 'Treasurer' }, 'GET', '/sales_invoices')).toEqual({
      decision: 'allowed',
      rule: 'Regate matrix: Treasurer × /sales_invoices allows GET',
      allowedBy: REGATE_ROLES.filter((r) => r !== 'Manager (expenses)' && r !== 'Accountant (expenses)'),
      endpoint: '/sales_invoices',
    });
    const denied = check(model, { role: 'treasurer' }, 'POST', '/sales_invoices');
    expect(denied.decision).toBe('denied');
    expect(denied.rule).toBe('Regate matrix: Treasurer × /sales_invoices does not allow POST (it allows GET)');
    expect(denied.allowedBy).toEqual([
      'CFO with Certified accountant',
      'CFO',
      'Certified acc. Customer',
      'Certified accountant',
      'Certified acc. customer (no payment)',
      'Manager (invoices)',
      'Chief accountant',
      'Accountant (invoices)',
    ]);
  });

  it('matches the cost centres template with a real plan id, query and trailing slash', () => {
    expect(check(model, { role: 'Chief accountant' }, 'GET', '/analytical_plans/42/cost_centers/?page=2')).toMatchObject({
      decision: 'allowed',
      endpoint: '/analytical_plans/{plan_id}/cost_centers',
    });
    expect(check(model, { role: 'Treasurer' }, 'GET', '/analytical_plans/42/cost_centers').decision).toBe('denied');
  });

  it('knows only CFO may create users, and only CFO and Certified acc. Customer create products', () => {
    expect(whoCanCall(model, 'POST', '/users').allowedBy).toEqual(['CFO']);
    expect(whoCanCall(model, 'POST', '/products').allowedBy).toEqual(['CFO', 'Certified acc. Customer']);
    expect(whoCanCall(model, 'DELETE', '/customers')).toMatchObject({ known: true, allowedBy: [] });
  });

  it('reports calls outside the documented matrix as unknown', () => {
    expect(check(model, { role: 'CFO' }, 'GET', '/sales_invoices/123')).toMatchObject({
      decision: 'unknown_endpoint',
      rule: 'Regate matrix: GET /sales_invoices/123 is not in the documented matrix',
    });
    expect(check(model, { role: 'CFO' }, 'GET', '/purchase_invoices').decision).toBe('unknown_endpoint');
  });

  it('lists what a Manager (expenses) token can do', () => {
    expect(allowedEndpoints(model, { role: 'Manager (expenses)' })).toEqual([
      { path: '/sales_vat_accounts', methods: ['GET'], via: 'role Manager (expenses)', aliases: ['/sales_vat_accoutns'] },
      { path: '/users', methods: ['GET'], via: 'role Manager (expenses)' },
      { path: '/user_roles', methods: ['GET'], via: 'role Manager (expenses)' },
      { path: '/analytical_plans', methods: ['GET'], via: 'role Manager (expenses)' },
      { path: '/analytical_plans/{plan_id}/cost_centers', methods: ['GET'], via: 'role Manager (expenses)' },
    ]);
  });

  it('has test presets every documented role may call', () => {
    for (const preset of regate.testPresets) {
      expect(whoCanCall(model, preset.method, preset.path).allowedBy).toEqual([...REGATE_ROLES]);
    }
  });
});
