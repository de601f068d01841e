import { parse } from 'dotenv';
import type { ImportProblem, ParsedSource, SourceVariable } from './source';

// dotenv's own line grammar (dotenv/lib/main.js, LINE): used only to find
// where each assignment sits and what text is none, since `parse` silently
// drops lines it cannot read.
const LINE = /(?:^|^)\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/gm;

function lineCol(text: string, index: number): { line: number; col: number } {
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  return { line, col: index - before.lastIndexOf('\n') };
}

/**
 * Reads a `.env` file with `dotenv`. Every variable is a candidate; a line
 * that is neither an assignment, a comment nor blank is a problem with its
 * line and column (dotenv itself would drop it without a word).
 */
export function readDotenv(text: string, fileName: string): ParsedSource {
  const values = parse(text);
  const where = new Map<string, string>();
  const lines = new Map<string, number[]>();
  const covered: [number, number][] = [];
  for (const m of text.matchAll(LINE)) {
    const start = m.index + m[0].search(/\S/);
    const pos = lineCol(text, Math.max(start, m.index));
    // The last assignment of a name is the one dotenv keeps: its place is the variable's.
    where.set(m[1]!, `line ${pos.line}, column ${pos.col}`);
    lines.set(m[1]!, [...(lines.get(m[1]!) ?? []), pos.line]);
    covered.push([m.index, m.index + m[0].length]);
  }
  const problems: ImportProblem[] = [];
  let at = 0;
  for (const [from, to] of [...covered, [text.length, text.length] as [number, number]]) {
    const gap = text.slice(at, from);
    for (const [i, raw] of gap.split('\n').entries()) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      const offset = at + gap.split('\n').slice(0, i).join('\n').length + (i > 0 ? 1 : 0) + raw.search(/\S/);
      const pos = lineCol(text, offset);
      problems.push({ location: `line ${pos.line}, column ${pos.col}`, message: 'is not a NAME=value line' });
    }
    at = Math.max(at, to);
  }
  const variables: SourceVariable[] = Object.entries(values).map(([name, value]) => ({ name, value, location: where.get(name) ?? fileName }));
  const warnings = duplicateWarnings(lines);
  // `.env.production` → production; `.env` → default.
  const suffix = /\.env\.([\w-]+)$/.exec(fileName)?.[1];
  return {
    format: 'dotenv',
    title: fileName,
    environments: [{ name: suffix ?? 'default', location: fileName, variables }],
    problems,
    unsupported: [],
    warnings,
  };
}

const listLines = (n: number[]) => (n.length === 2 ? `${n[0]} and ${n[1]}` : `${n.slice(0, -1).join(', ')} and ${n.at(-1)}`);

/**
 * A name assigned on more than one line: dotenv keeps the last assignment
 * (`parse` overwrites as it reads, dotenv/lib/main.js), so the import does too,
 * and says so with every line, instead of dropping the others without a word.
 */
function duplicateWarnings(lines: Map<string, number[]>): ImportProblem[] {
  const warnings: ImportProblem[] = [];
  for (const [name, at] of lines) {
    if (at.length < 2) continue;
    const last = at.at(-1)!;
    const others = at.slice(0, -1);
    warnings.push({
      location: `lines ${listLines(at)}`,
      message: `${name} is set ${at.length === 2 ? 'twice' : `${at.length} times`}: the value on line ${last} is imported (the last one, as dotenv reads a file); line${others.length === 1 ? '' : 's'} ${others.length === 1 ? others[0] : listLines(others)} ${others.length === 1 ? 'is' : 'are'} ignored`,
    });
  }
  return warnings;
}
