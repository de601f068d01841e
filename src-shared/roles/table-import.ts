import { HTTP_METHODS, parseHttpMethod, type HttpMethod } from '../domain/http-method';
import { parsePathTemplate, templateShape } from '../domain/path-template';
import { readCsv, writeCsv } from './csv';
import type { MatrixEndpoint, RoleMatrixModel } from './model';
import { nameKey } from './names';

/**
 * Permission tables as providers publish them (Regate's is the model): the
 * first column names endpoints, every other column is a role, and a cell lists
 * the methods that role may use (`POST, GET`; empty for none).
 *
 * Row numbers in errors are 1-based: for Markdown, the line of the input
 * (so prose above the table counts); for CSV, the record (header = 1).
 * Columns are 1-based cells, the endpoint column being 1.
 */

/** The grid of a role matrix: what a table holds. A RoleMatrixModel is one plus a label and aliases. */
export interface RoleMatrixTable {
  roles: string[];
  endpoints: MatrixEndpoint[];
}

export interface TableIssue {
  row: number;
  column: number;
  message: string;
}

export type TableParseResult = { ok: true; matrix: RoleMatrixTable } | { ok: false; errors: TableIssue[] };

interface RawRow {
  row: number;
  cells: string[];
}

const NONE = new Set(['', '-', '–', '—']);
const MAX_ROLE_LENGTH = 200;

/** Checks a header and data rows and builds the matrix; every problem is reported, not just the first. */
function buildMatrix(header: RawRow, rows: readonly RawRow[], errors: TableIssue[]): RoleMatrixTable {
  const width = header.cells.length;
  const roles = header.cells.slice(1);
  if (width < 2) {
    errors.push({ row: header.row, column: 2, message: 'the header needs an endpoint column and at least one role column' });
  }
  const roleColumn = new Map<string, number>();
  roles.forEach((role, i) => {
    const column = i + 2;
    const key = nameKey(role);
    if (role === '') errors.push({ row: header.row, column, message: 'the role name is empty' });
    // eslint-disable-next-line no-control-regex
    else if (/[\u0000-\u001f\u007f-\u009f]/.test(role)) errors.push({ row: header.row, column, message: 'the role name contains control characters' });
    else if (role === '__proto__') errors.push({ row: header.row, column, message: 'the role name is a reserved word' });
    else if (role.length > MAX_ROLE_LENGTH) errors.push({ row: header.row, column, message: `the role name is longer than ${MAX_ROLE_LENGTH} characters` });
    else if (roleColumn.has(key)) errors.push({ row: header.row, column, message: `the role "${role}" repeats column ${roleColumn.get(key)}` });
    else roleColumn.set(key, column);
  });

  const endpoints: MatrixEndpoint[] = [];
  const seenShape = new Map<string, number>();
  for (const r of rows) {
    if (r.cells.length !== width) {
      const column = Math.min(r.cells.length, width) + 1;
      errors.push({ row: r.row, column, message: `the row has ${r.cells.length} cells; the header has ${width}` });
    }
    const path = stripCode(r.cells[0] ?? '');
    if (path === '') {
      errors.push({ row: r.row, column: 1, message: 'the endpoint is empty' });
    } else {
      const parsed = parsePathTemplate(path);
      if (!parsed.ok) errors.push({ row: r.row, column: 1, message: `the endpoint ${parsed.reason}` });
      else {
        const shape = templateShape(parsed.template);
        const first = seenShape.get(shape);
        if (first !== undefined) errors.push({ row: r.row, column: 1, message: `the endpoint ${path} repeats row ${first}` });
        else seenShape.set(shape, r.row);
      }
    }
    const allow: Record<string, HttpMethod[]> = {};
    roles.forEach((role, i) => {
      const methods = parseCell(r.cells[i + 1] ?? '', r.row, i + 2, errors);
      if (methods.length > 0 && role !== '__proto__') allow[role] = methods;
    });
    endpoints.push({ path, allow });
  }
  return { roles, endpoints };
}

function stripCode(cell: string): string {
  const m = /^`([^`]*)`$/.exec(cell);
  return (m ? m[1]! : cell).trim();
}

function parseCell(cell: string, row: number, column: number, errors: TableIssue[]): HttpMethod[] {
  const text = cell.trim();
  if (NONE.has(text)) return [];
  const methods: HttpMethod[] = [];
  for (const word of text.split(/[\s,/]+/).filter((w) => w !== '')) {
    const method = parseHttpMethod(word);
    if (!method) errors.push({ row, column, message: `unknown method "${word}" (known: ${HTTP_METHODS.join(', ')})` });
    else if (methods.includes(method)) errors.push({ row, column, message: `${method} is listed twice` });
    else methods.push(method);
  }
  return methods;
}

function result(matrix: RoleMatrixTable, errors: TableIssue[]): TableParseResult {
  if (errors.length === 0) return { ok: true, matrix };
  errors.sort((a, b) => a.row - b.row || a.column - b.column);
  return { ok: false, errors };
}

// ------------------------------------------------------------------ Markdown

/** Splits a Markdown table line into trimmed cells; `\|` is a pipe inside a cell, `\\` a backslash. */
export function splitMarkdownRow(line: string): string[] {
  const s = line.trim();
  const cells: string[] = [];
  let current = '';
  let endedWithPipe = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    endedWithPipe = false;
    if (c === '\\' && (s[i + 1] === '|' || s[i + 1] === '\\')) {
      current += s[i + 1];
      i++;
    } else if (c === '|') {
      cells.push(current.trim());
      current = '';
      endedWithPipe = true;
    } else {
      current += c;
    }
  }
  if (!endedWithPipe) cells.push(current.trim());
  // A leading pipe opens the row rather than ending an empty first cell.
  if (s.startsWith('|')) cells.shift();
  return cells;
}

function hasPipe(line: string): boolean {
  return /(^|[^\\])\|/.test(line);
}

const DELIMITER_CELL = /^:?-+:?$/;

/** Made of pipes, dashes, colons and spaces only; whether each cell is well formed is checked after. */
function looksLikeDelimiter(line: string): boolean {
  return line.includes('-') && /^[\s|:-]+$/.test(line);
}

export function parseMarkdownTable(text: string): TableParseResult {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const errors: TableIssue[] = [];
  const start = lines.findIndex(hasPipe);
  const empty: RoleMatrixTable = { roles: [], endpoints: [] };
  if (start === -1) {
    return result(empty, [{ row: 1, column: 1, message: 'no Markdown table found (a | header | row followed by | --- |)' }]);
  }
  const header: RawRow = { row: start + 1, cells: splitMarkdownRow(lines[start]!) };
  const delimiterLine = lines[start + 1];
  if (delimiterLine === undefined || !looksLikeDelimiter(delimiterLine)) {
    return result(empty, [{ row: start + 2, column: 1, message: 'a Markdown table needs a delimiter row (| --- | --- |) under its header' }]);
  }
  const delimiter = splitMarkdownRow(delimiterLine);
  if (delimiter.length !== header.cells.length) {
    errors.push({
      row: start + 2,
      column: Math.min(delimiter.length, header.cells.length) + 1,
      message: `the delimiter row has ${delimiter.length} cells; the header has ${header.cells.length}`,
    });
  }
  delimiter.forEach((cell, i) => {
    if (!DELIMITER_CELL.test(cell)) errors.push({ row: start + 2, column: i + 1, message: 'a delimiter cell must be --- (with : for alignment)' });
  });

  const rows: RawRow[] = [];
  let i = start + 2;
  for (; i < lines.length && lines[i]!.trim() !== '' && hasPipe(lines[i]!); i++) {
    rows.push({ row: i + 1, cells: splitMarkdownRow(lines[i]!) });
  }
  const second = lines.findIndex((l, j) => j > i && hasPipe(l));
  if (second !== -1) {
    errors.push({ row: second + 1, column: 1, message: 'a second table starts here; import one table at a time' });
  }
  return result(buildMatrix(header, rows, errors), errors);
}

// ----------------------------------------------------------------------- CSV

export function parseCsvTable(text: string): TableParseResult {
  const { records, issues } = readCsv(text);
  const errors: TableIssue[] = [...issues];
  // Blank lines carry nothing; spreadsheets and editors leave them at the end.
  const rows = records.filter((r) => !r.blank).map((r) => ({ row: r.row, cells: r.cells.map((c) => c.trim()) }));
  const [header, ...data] = rows;
  if (!header) return result({ roles: [], endpoints: [] }, [{ row: 1, column: 1, message: 'the table is empty' }]);
  return result(buildMatrix(header, data, errors), errors);
}

/** Markdown when the first non-blank line has a pipe, CSV otherwise. */
export function parseRoleTable(text: string, format: 'markdown' | 'csv' | 'auto' = 'auto'): TableParseResult {
  const chosen = format === 'auto' ? (hasPipe(text.split(/\r\n|\r|\n/).find((l) => l.trim() !== '') ?? '') ? 'markdown' : 'csv') : format;
  return chosen === 'markdown' ? parseMarkdownTable(text) : parseCsvTable(text);
}

// -------------------------------------------------------------------- export

function cellsOf(matrix: RoleMatrixTable, endpointHeader: string): string[][] {
  return [
    [endpointHeader, ...matrix.roles],
    ...matrix.endpoints.map((e) => [
      e.path,
      ...matrix.roles.map((role) => (Object.hasOwn(e.allow, role) ? e.allow[role]!.join(', ') : '')),
    ]),
  ];
}

function escapeMarkdown(cell: string): string {
  return cell.replace(/\\/g, '\\\\').replace(/\|/g, '\\|');
}

/** A Markdown table like the one in Regate's documentation, columns padded to line up. */
export function exportMarkdown(matrix: RoleMatrixTable, endpointHeader = 'Endpoints'): string {
  const grid = cellsOf(matrix, endpointHeader).map((r) => r.map(escapeMarkdown));
  const widths = grid[0]!.map((_, c) => Math.max(3, ...grid.map((r) => r[c]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const [head, ...body] = grid;
  return [line(head!), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n') + '\n';
}

export function exportCsv(matrix: RoleMatrixTable, endpointHeader = 'Endpoints'): string {
  return writeCsv(cellsOf(matrix, endpointHeader));
}

/** A parsed table as the `roles` section of a definition. */
export function toRoleMatrixModel(matrix: RoleMatrixTable, label: string): RoleMatrixModel {
  return { kind: 'role_matrix', label, roles: [...matrix.roles], endpoints: matrix.endpoints.map((e) => ({ path: e.path, allow: { ...e.allow } })), aliases: [] };
}
