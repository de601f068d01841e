import { HTTP_METHODS, type HttpMethod } from '../../../../src-shared/domain/http-method';
import type { CredentialSummary } from '../../../../src-shared/domain/types';
import { allowedEndpoints, nameKey, splitScopes, type GrantInput, type PermissionModel } from '../../../../src-shared/roles';

/**
 * Any permission model as one grid: endpoints down, grants across (roles,
 * scopes, token types or levels), the methods each grant allows in each
 * cell. Built from allowedEndpoints() per column, so the grid shows exactly
 * what the checks decide, whatever the model's kind.
 */
export interface MatrixGrid {
  /** What a column is: "Role", "Scope", "Token type", "Level". */
  columnKind: string;
  columns: string[];
  rows: MatrixRow[];
}

export interface MatrixRow {
  path: string;
  /** Column → methods (in HTTP_METHODS order); absent when the column may do nothing here. */
  cells: Record<string, HttpMethod[]>;
  aliases: string[];
  includesSubpaths: boolean;
}

const COLUMN_KIND: Record<PermissionModel['kind'], string> = {
  role_matrix: 'Role',
  scope_set: 'Scope',
  token_types: 'Token type',
  coarse_scopes: 'Level',
};

export function columnsOf(model: PermissionModel): string[] {
  switch (model.kind) {
    case 'role_matrix':
      return [...model.roles];
    case 'scope_set':
      return model.scopes.map((s) => s.name);
    case 'token_types':
      return model.types.map((t) => t.name);
    case 'coarse_scopes':
      return model.levels.map((l) => l.name);
  }
}

/** The grant a column stands for. */
export function grantForColumn(model: PermissionModel, column: string): GrantInput {
  switch (model.kind) {
    case 'role_matrix':
      return { role: column };
    case 'token_types':
      return { tokenType: column };
    default:
      return { scopes: [column] };
  }
}

const methodOrder = (a: HttpMethod, b: HttpMethod) => HTTP_METHODS.indexOf(a) - HTTP_METHODS.indexOf(b);

export function buildMatrixGrid(model: PermissionModel): MatrixGrid {
  const columns = columnsOf(model);
  const rows = new Map<string, MatrixRow>();
  // A role matrix keeps its documented row order, rows nobody may call included.
  if (model.kind === 'role_matrix') for (const e of model.endpoints) rows.set(e.path, { path: e.path, cells: {}, aliases: [], includesSubpaths: false });
  for (const column of columns) {
    for (const access of allowedEndpoints(model, grantForColumn(model, column))) {
      let row = rows.get(access.path);
      if (!row) {
        row = { path: access.path, cells: {}, aliases: [], includesSubpaths: false };
        rows.set(access.path, row);
      }
      row.aliases = [...new Set([...row.aliases, ...(access.aliases ?? [])])];
      row.includesSubpaths ||= access.includesSubpaths === true;
      row.cells[column] = [...new Set([...(row.cells[column] ?? []), ...access.methods])].sort(methodOrder);
    }
  }
  return { columnKind: COLUMN_KIND[model.kind], columns, rows: [...rows.values()] };
}

/** The columns this token holds (its role, its scopes, its token type), in the model's spelling. */
export function tokenColumns(model: PermissionModel, c: Pick<CredentialSummary, 'role' | 'scopes' | 'tokenType'>): string[] {
  const columns = columnsOf(model);
  const find = (name: string | null | undefined) => (name ? columns.find((col) => nameKey(col) === nameKey(name)) : undefined);
  let held: (string | undefined)[];
  switch (model.kind) {
    case 'role_matrix':
      held = [find(c.role)];
      break;
    case 'token_types': {
      const t = c.tokenType ? model.types.find((x) => nameKey(x.name) === nameKey(c.tokenType!) || nameKey(x.label) === nameKey(c.tokenType!)) : undefined;
      held = [t?.name];
      break;
    }
    case 'coarse_scopes':
      // Coolset tokens carry their level as a role as often as a scope.
      held = [...splitScopes(c.scopes).map((s) => find(s.name)), find(c.role)];
      break;
    case 'scope_set':
      held = splitScopes(c.scopes).map((s) => find(s.name));
      break;
  }
  return [...new Set(held.filter((x): x is string => x !== undefined))];
}

export interface GridFilter {
  text: string;
  method: HttpMethod | '';
}

/** Rows whose path (or alias) contains the text and where some column allows the method. */
export function filterRows(grid: MatrixGrid, f: GridFilter): MatrixRow[] {
  const q = f.text.trim().toLowerCase();
  return grid.rows.filter(
    (r) =>
      (q === '' || r.path.toLowerCase().includes(q) || r.aliases.some((a) => a.toLowerCase().includes(q))) &&
      (f.method === '' || Object.values(r.cells).some((ms) => ms.includes(f.method as HttpMethod))),
  );
}

/** The grid with the token's own columns first (in their order), the rest as documented: visible without scrolling sideways. */
export function withCurrentFirst(grid: MatrixGrid, current: readonly string[]): MatrixGrid {
  const first = grid.columns.filter((c) => current.includes(c));
  if (first.length === 0) return grid;
  return { ...grid, columns: [...first, ...grid.columns.filter((c) => !current.includes(c))] };
}

export interface TokenEndpoint {
  path: string;
  /** What the token may call there; empty when nothing. */
  methods: HttpMethod[];
  includesSubpaths: boolean;
}

/**
 * "What can this token do", for every endpoint the model documents (not only
 * the allowed ones): the grid's rows in their order, each with the methods
 * the token's grant allows, then any allowed path the grid has no row for.
 */
export function tokenEndpoints(model: PermissionModel, grid: MatrixGrid, c: Pick<CredentialSummary, 'role' | 'scopes' | 'tokenType'>): TokenEndpoint[] {
  // The same grant the dialog always checked: the credential's role, scopes and token type as recorded.
  const allowed = new Map(allowedEndpoints(model, c).map((a) => [a.path, a]));
  const out: TokenEndpoint[] = grid.rows.map((r) => {
    const a = allowed.get(r.path);
    allowed.delete(r.path);
    return { path: r.path, methods: a ? [...a.methods].sort(methodOrder) : [], includesSubpaths: r.includesSubpaths };
  });
  for (const a of allowed.values()) out.push({ path: a.path, methods: [...a.methods].sort(methodOrder), includesSubpaths: a.includesSubpaths === true });
  return out;
}
