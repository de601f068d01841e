import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readCsv, writeCsv } from './csv';

const cells = (text: string) => readCsv(text).records.map((r) => r.cells);

describe('readCsv (RFC 4180)', () => {
  it('reads plain fields and CRLF records', () => {
    expect(cells('a,b\r\nc,d\r\n')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });

  it('accepts LF and lone CR line ends, and a missing final line end', () => {
    expect(cells('a,b\nc,d')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(cells('a\rb')).toEqual([['a'], ['b']]);
  });

  it('keeps commas, line breaks and doubled quotes inside quoted fields', () => {
    expect(cells('/x,"POST, GET","say ""hi""","two\r\nlines"\r\n')).toEqual([['/x', 'POST, GET', 'say "hi"', 'two\r\nlines']]);
  });

  it('numbers records as a spreadsheet shows rows, even across a quoted line break', () => {
    const { records } = readCsv('h1,h2\r\n"a\r\nb",c\r\nd,e\r\n');
    expect(records.map((r) => r.row)).toEqual([1, 2, 3]);
  });

  it('reads empty fields, a trailing comma and an empty quoted field', () => {
    expect(cells(',a,\r\n"",b')).toEqual([
      ['', 'a', ''],
      ['', 'b'],
    ]);
    expect(cells('a,')).toEqual([['a', '']]);
  });

  it('marks blank lines and skips a byte-order mark', () => {
    const { records } = readCsv('\uFEFFa\r\n\r\nb\r\n');
    expect(records).toEqual([
      { row: 1, cells: ['a'], blank: false },
      { row: 2, cells: [''], blank: true },
      { row: 3, cells: ['b'], blank: false },
    ]);
  });

  it('reports an unterminated quote where it opened', () => {
    expect(readCsv('a,b\r\nc,"d,e\r\nf').issues).toEqual([{ row: 2, column: 2, message: 'a quoted field is never closed (a " is missing)' }]);
  });

  it('reports a stray quote in an unquoted field, and text after a closing quote', () => {
    expect(readCsv('a,b"c\r\n"d"e,f').issues).toEqual([
      { row: 1, column: 2, message: 'a quote inside an unquoted field; quote the whole field and double the quote ("")' },
      { row: 2, column: 1, message: 'unexpected text after a closing quote; double a quote inside a quoted field ("")' },
    ]);
  });
});

describe('writeCsv', () => {
  it('quotes only what needs it and ends every record with CRLF', () => {
    expect(writeCsv([['Endpoints', 'Manager (invoices)'], ['/x', 'POST, GET'], ['say "hi"', ' padded ']])).toBe(
      'Endpoints,Manager (invoices)\r\n/x,"POST, GET"\r\n"say ""hi"""," padded "\r\n',
    );
  });

  it('round-trips any grid of cells', () => {
    const grid = fc.array(fc.array(fc.string({ unit: fc.constantFrom('a', ',', '"', '\r', '\n', ' ', 'é', '|') }), { minLength: 2, maxLength: 4 }), {
      minLength: 1,
      maxLength: 5,
    });
    fc.assert(
      fc.property(grid, (rows) => {
        const { records, issues } = readCsv(writeCsv(rows));
        expect(issues).toEqual([]);
        expect(records.map((r) => r.cells)).toEqual(rows);
      }),
    );
  });
});
