/**
 * A small RFC 4180 reader and writer. Permission tables travel as CSV from
 * spreadsheets, and their cells ("POST, GET") contain commas, so quoting must
 * be right: quoted fields may hold commas, line breaks and doubled quotes.
 * Records end with CRLF (RFC 4180) or a bare LF or CR (what editors write).
 */

export interface CsvRecord {
  /** 1-based record number: the row a spreadsheet shows. */
  row: number;
  cells: string[];
  /** An empty line: no characters at all between two line breaks. */
  blank: boolean;
}

export interface CsvIssue {
  row: number;
  column: number;
  message: string;
}

export function readCsv(text: string): { records: CsvRecord[]; issues: CsvIssue[] } {
  const s = text.startsWith('\uFEFF') ? text.slice(1) : text; // Excel's byte-order mark
  const records: CsvRecord[] = [];
  const issues: CsvIssue[] = [];
  let i = 0;
  let row = 1;
  let cells: string[] = [];
  let recordStart = 0;

  const atLineEnd = () => s[i] === '\n' || s[i] === '\r';
  const skipLineEnd = () => {
    if (s[i] === '\r' && s[i + 1] === '\n') i += 2;
    else i += 1;
  };

  while (i < s.length) {
    const column = cells.length + 1;
    let value = '';
    if (s[i] === '"') {
      const openedAt = { row, column };
      i++;
      let closed = false;
      while (i < s.length) {
        if (s[i] === '"') {
          if (s[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          closed = true;
          break;
        }
        value += s[i];
        i++;
      }
      if (!closed) {
        issues.push({ ...openedAt, message: 'a quoted field is never closed (a " is missing)' });
      } else if (i < s.length && s[i] !== ',' && !atLineEnd()) {
        issues.push({ row, column, message: 'unexpected text after a closing quote; double a quote inside a quoted field ("")' });
        while (i < s.length && s[i] !== ',' && !atLineEnd()) value += s[i++];
      }
    } else {
      while (i < s.length && s[i] !== ',' && !atLineEnd()) value += s[i++];
      if (value.includes('"')) {
        issues.push({ row, column, message: 'a quote inside an unquoted field; quote the whole field and double the quote ("")' });
      }
    }
    cells.push(value);
    if (s[i] === ',') {
      i++;
      // A comma at the very end still opens one last, empty field.
      if (i === s.length) cells.push('');
      continue;
    }
    const blank = cells.length === 1 && cells[0] === '' && i === recordStart;
    records.push({ row, cells, blank });
    cells = [];
    if (i < s.length) skipLineEnd();
    recordStart = i;
    row++;
  }
  if (cells.length > 0) records.push({ row, cells, blank: false });
  return { records, issues };
}

function quote(cell: string): string {
  return /[",\r\n]|^\s|\s$/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** RFC 4180: CRLF after every record, fields quoted when they need it. */
export function writeCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((r) => r.map(quote).join(',')).join('\r\n') + '\r\n';
}
