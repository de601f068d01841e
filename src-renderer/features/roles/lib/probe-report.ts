import type { ProbeCellReport, ProbeReport } from '../../../../src-shared/ipc/contract';
import { HTTP_METHODS } from '../../../../src-shared/domain/http-method';

/** A probe's cells as a grid: endpoints down, methods across. */
export interface ProbeGrid {
  methods: string[];
  rows: { endpoint: string; cells: Record<string, ProbeCellReport> }[];
}

export function probeGrid(cells: ProbeCellReport[]): ProbeGrid {
  const methods = HTTP_METHODS.filter((m) => cells.some((c) => c.method === m));
  const rows = new Map<string, Record<string, ProbeCellReport>>();
  for (const c of cells) {
    const row = rows.get(c.endpoint) ?? {};
    row[c.method] = c;
    rows.set(c.endpoint, row);
  }
  return { methods, rows: [...rows].map(([endpoint, cells]) => ({ endpoint, cells })) };
}

const csvCell = (v: string | number | boolean | null) => {
  const s = v === null ? '' : String(v);
  return /[",\r\n]/.test(s) || /^[=+\-@]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** One line per call: what the documents say, what the API did. Cells starting with = + - @ are quoted (spreadsheet formulas). */
export function probeCsv(report: ProbeReport): string {
  const head = ['endpoint', 'method', 'path', 'documented', 'observed', 'status', 'mismatch', 'write', 'note'];
  const lines = report.cells.map((c) => [c.endpoint, c.method, c.path, c.documented, c.observed, c.status, c.mismatch, c.write, c.note].map(csvCell).join(','));
  return [head.join(','), ...lines].join('\r\n') + '\r\n';
}

export function probeJson(report: ProbeReport): string {
  return JSON.stringify(report, null, 2);
}
