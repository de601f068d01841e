import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HTTP_METHODS, type HttpMethod } from '../domain/http-method';
import { parsePathTemplate } from '../domain/path-template';
import { REGATE_SEED_TABLE } from '../providers/builtin/regate.fixture';
import { PermissionModel } from './model';
import {
  exportCsv,
  exportMarkdown,
  parseCsvTable,
  parseMarkdownTable,
  parseRoleTable,
  splitMarkdownRow,
  toRoleMatrixModel,
  type RoleMatrixTable,
  type TableIssue,
} from './table-import';

function errorsOf(r: ReturnType<typeof parseRoleTable>): TableIssue[] {
  if (r.ok) throw new Error('expected the table to be refused');
  return r.errors;
}

describe('splitMarkdownRow', () => {
  it('splits on pipes, with or without the outer ones, honouring \\| and \\\\', () => {
    expect(splitMarkdownRow('| a | b |')).toEqual(['a', 'b']);
    expect(splitMarkdownRow('a | b')).toEqual(['a', 'b']);
    expect(splitMarkdownRow('| a \\| b | c \\\\ |')).toEqual(['a | b', 'c \\']);
    expect(splitMarkdownRow('| a |  |')).toEqual(['a', '']);
    expect(splitMarkdownRow('| a | b \\|')).toEqual(['a', 'b |']);
  });
});

describe('parseMarkdownTable', () => {
  it('reads the Regate table from the documentation', () => {
    const r = parseMarkdownTable(REGATE_SEED_TABLE);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.matrix.roles).toHaveLength(11);
    expect(r.matrix.roles[6]).toBe('Manager (invoices)');
    expect(r.matrix.endpoints.map((e) => e.path)).toEqual([
      '/sales_invoices',
      '/customers',
      '/bank_accoutns',
      '/sales_vat_accoutns',
      '/products',
      '/users',
      '/user_roles',
      '/analytical_plans',
      '/analytical_plans/{plan_id}/cost_centers',
    ]);
    expect(r.matrix.endpoints[0]!.allow.Treasurer).toEqual(['GET']);
    expect(r.matrix.endpoints[0]!.allow['Manager (expenses)']).toBeUndefined();
    expect(r.matrix.endpoints[1]!.allow.CFO).toEqual(['POST', 'GET', 'PATCH']);
  });

  it('finds the table among prose, and numbers rows by input line', () => {
    const text = '# Permissions\n\nSome words.\n\n| Endpoint | A |\n|---|:-:|\n| `/x` | get / post |\n\nAfter.\n';
    expect(parseMarkdownTable(text)).toEqual({ ok: true, matrix: { roles: ['A'], endpoints: [{ path: '/x', allow: { A: ['GET', 'POST'] } }] } });
    const bad = '# Permissions\n\n| Endpoint | A |\n|---|---|\n| /x | FETCH |\n';
    expect(errorsOf(parseMarkdownTable(bad))).toEqual([{ row: 5, column: 2, message: expect.stringContaining('unknown method "FETCH"') }]);
  });

  it('accepts -, – and — as empty cells', () => {
    const r = parseMarkdownTable('| E | A | B | C |\n|---|---|---|---|\n| /x | - | – | — |\n');
    expect(r).toEqual({ ok: true, matrix: { roles: ['A', 'B', 'C'], endpoints: [{ path: '/x', allow: {} }] } });
  });

  it('refuses text without a table, and a header without a delimiter row', () => {
    expect(errorsOf(parseMarkdownTable('just words'))).toEqual([{ row: 1, column: 1, message: 'no Markdown table found (a | header | row followed by | --- |)' }]);
    expect(errorsOf(parseMarkdownTable('intro\n| E | A |\n| /x | GET |\n'))).toEqual([
      { row: 3, column: 1, message: 'a Markdown table needs a delimiter row (| --- | --- |) under its header' },
    ]);
  });

  it('refuses a delimiter row of the wrong width or with a bad cell', () => {
    expect(errorsOf(parseMarkdownTable('| E | A | B |\n| --- | --- |\n| /x | GET | GET |\n'))).toEqual([
      { row: 2, column: 3, message: 'the delimiter row has 2 cells; the header has 3' },
    ]);
    expect(errorsOf(parseMarkdownTable('| E | A |\n| --- | -:-- |\n'))).toEqual([{ row: 2, column: 2, message: 'a delimiter cell must be --- (with : for alignment)' }]);
  });

  it('refuses a second table', () => {
    const two = '| E | A |\n|---|---|\n| /x | GET |\n\n| E | B |\n|---|---|\n';
    expect(errorsOf(parseMarkdownTable(two))).toEqual([{ row: 5, column: 1, message: 'a second table starts here; import one table at a time' }]);
  });

  it('reports every problem of a malformed table with its row and column', () => {
    const table = [
      '| Endpoints | CFO |  | cfo | Treasurer |', // 1: empty role (col 3), duplicate role (col 4)
      '| --- | --- | --- | --- | --- |', // 2
      '| /sales_invoices | POST, GET | GET | GET | GTE |', // 3: unknown method (col 5)
      '| /customers | GET | GET |', // 4: ragged, too short (first missing cell: col 4)
      '| /sales_invoices/ | GET | | | |', // 5: duplicate endpoint (col 1)
      '| /users | GET, GET | | | | extra |', // 6: repeated method (col 2); ragged, too long (col 6)
      '| users | | | | |', // 7: endpoint not a path (col 1)
      '|  | GET | | | |', // 8: empty endpoint (col 1)
      '| /plans/{plan_id}/items | get | | | |', // 9: fine
      '| /plans/:id/items | | | | |', // 10: same endpoint as row 9
    ].join('\n');
    expect(errorsOf(parseMarkdownTable(table))).toEqual([
      { row: 1, column: 3, message: 'the role name is empty' },
      { row: 1, column: 4, message: 'the role "cfo" repeats column 2' },
      { row: 3, column: 5, message: `unknown method "GTE" (known: ${HTTP_METHODS.join(', ')})` },
      { row: 4, column: 4, message: 'the row has 3 cells; the header has 5' },
      { row: 5, column: 1, message: 'the endpoint /sales_invoices/ repeats row 3' },
      { row: 6, column: 2, message: 'GET is listed twice' },
      { row: 6, column: 6, message: 'the row has 6 cells; the header has 5' },
      { row: 7, column: 1, message: 'the endpoint must start with "/"' },
      { row: 8, column: 1, message: 'the endpoint is empty' },
      { row: 10, column: 1, message: 'the endpoint /plans/:id/items repeats row 9' },
    ]);
  });

  it('refuses a header without role columns, and reserved role names', () => {
    expect(errorsOf(parseMarkdownTable('| Endpoints |\n| --- |\n| /x |\n'))).toEqual([
      { row: 1, column: 2, message: 'the header needs an endpoint column and at least one role column' },
    ]);
    expect(errorsOf(parseMarkdownTable('| E | __proto__ |\n| --- | --- |\n'))).toEqual([{ row: 1, column: 2, message: 'the role name is a reserved word' }]);
  });
});

describe('parseCsvTable', () => {
  it('reads quoted cells with commas', () => {
    const csv = 'Endpoints,CFO,"Manager (invoices)"\r\n/sales_invoices,"POST, GET",GET\r\n/customers,,\r\n';
    expect(parseCsvTable(csv)).toEqual({
      ok: true,
      matrix: {
        roles: ['CFO', 'Manager (invoices)'],
        endpoints: [
          { path: '/sales_invoices', allow: { CFO: ['POST', 'GET'], 'Manager (invoices)': ['GET'] } },
          { path: '/customers', allow: {} },
        ],
      },
    });
  });

  it('reports problems by record and column, CSV syntax errors included', () => {
    const csv = ['Endpoints,A,a', '/x,GET,POST, GET', '/y,"GET', ''].join('\r\n');
    expect(errorsOf(parseCsvTable(csv))).toEqual([
      { row: 1, column: 3, message: 'the role "a" repeats column 2' },
      { row: 2, column: 4, message: 'the row has 4 cells; the header has 3' },
      { row: 3, column: 2, message: 'a quoted field is never closed (a " is missing)' },
      { row: 3, column: 3, message: 'the row has 2 cells; the header has 3' },
    ]);
  });

  it('skips blank lines but counts them in row numbers', () => {
    expect(errorsOf(parseCsvTable('E,A\r\n\r\n/x,NOPE\r\n'))).toEqual([{ row: 3, column: 2, message: expect.stringContaining('unknown method "NOPE"') }]);
    expect(errorsOf(parseCsvTable('\r\n\r\n'))).toEqual([{ row: 1, column: 1, message: 'the table is empty' }]);
  });
});

describe('parseRoleTable', () => {
  it('tells Markdown from CSV', () => {
    expect(parseRoleTable('\n| E | A |\n|---|---|\n| /x | GET |').ok).toBe(true);
    expect(parseRoleTable('E,A\n/x,GET').ok).toBe(true);
    expect(parseRoleTable('E,A\n/x,GET', 'markdown').ok).toBe(false);
  });
});

describe('export and round trip', () => {
  const regate = parseMarkdownTable(REGATE_SEED_TABLE);
  const regateMatrix = regate.ok ? regate.matrix : (null as never);

  it('exports Markdown like the documentation, columns aligned', () => {
    const md = exportMarkdown({ roles: ['A', 'Bb'], endpoints: [{ path: '/x', allow: { Bb: ['POST', 'GET'] } }] });
    expect(md).toBe('| Endpoints | A   | Bb        |\n| --------- | --- | --------- |\n| /x        |     | POST, GET |\n');
  });

  it('exports CSV with RFC 4180 quoting', () => {
    expect(exportCsv({ roles: ['A', 'B, Jr.'], endpoints: [{ path: '/x', allow: { A: ['POST', 'GET'], 'B, Jr.': ['GET'] } }] })).toBe(
      'Endpoints,A,"B, Jr."\r\n/x,"POST, GET",GET\r\n',
    );
  });

  it('round-trips the Regate table through both formats', () => {
    expect(parseMarkdownTable(exportMarkdown(regateMatrix))).toEqual({ ok: true, matrix: regateMatrix });
    expect(parseCsvTable(exportCsv(regateMatrix))).toEqual({ ok: true, matrix: regateMatrix });
  });

  // Any valid matrix: distinct role names (with the characters that need
  // escaping), distinct paths, each cell a set of distinct methods.
  const roleName = fc
    .string({ unit: fc.constantFrom('a', 'B', ' ', '(', ')', '|', ',', '"', '\\', '.', 'é'), minLength: 1, maxLength: 12 })
    .map((s) => s.trim().replace(/\s+/g, ' '))
    .filter((s) => s !== '' && s !== '-' && s !== '__proto__');
  const arbMatrix: fc.Arbitrary<RoleMatrixTable> = fc
    .tuple(
      fc.uniqueArray(roleName, { minLength: 1, maxLength: 5, selector: (s) => s.toLowerCase() }),
      fc.uniqueArray(
        fc.stringMatching(/^(\/([a-z_]{1,6}|\{[a-z]{1,4}\})){1,3}$/).filter((p) => parsePathTemplate(p).ok),
        { maxLength: 6 },
      ),
    )
    .chain(([roles, paths]) =>
      fc
        .array(fc.array(fc.subarray([...HTTP_METHODS] as HttpMethod[]).chain((m) => fc.shuffledSubarray(m, { minLength: m.length })), { minLength: roles.length, maxLength: roles.length }), {
          minLength: paths.length,
          maxLength: paths.length,
        })
        .map((cells) => ({
          roles,
          endpoints: paths.map((path, i) => {
            const allow: Record<string, HttpMethod[]> = {};
            roles.forEach((role, j) => {
              if (cells[i]![j]!.length > 0) allow[role] = cells[i]![j]!;
            });
            return { path, allow };
          }),
        })),
    )
    // Two templates of one shape (/{a} and /{b}) are one endpoint: not a valid matrix.
    .filter((m) => new Set(m.endpoints.map((e) => e.path.replace(/\{[a-z]+\}/g, '{}'))).size === m.endpoints.length);

  it('parse(exportMarkdown(m)) deep-equals m for any matrix', () => {
    fc.assert(
      fc.property(arbMatrix, (m) => {
        expect(parseMarkdownTable(exportMarkdown(m))).toEqual({ ok: true, matrix: m });
      }),
    );
  });

  it('parse(exportCsv(m)) deep-equals m for any matrix', () => {
    fc.assert(
      fc.property(arbMatrix, (m) => {
        expect(parseCsvTable(exportCsv(m))).toEqual({ ok: true, matrix: m });
      }),
    );
  });

  it('a parsed table becomes a valid role_matrix model', () => {
    const model = PermissionModel.parse(toRoleMatrixModel(regateMatrix, 'Imported'));
    expect(model.kind === 'role_matrix' && model.endpoints).toEqual(regateMatrix.endpoints);
  });
});
