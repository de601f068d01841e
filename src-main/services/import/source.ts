import { isMap, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { ProviderDefinition } from '../../../src-shared/providers/schema';

/**
 * What every importer produces from its file, before anything touches the
 * vault: environments with their variables (values stay in the main process),
 * an optional provider definition (OpenAPI), and the problems found, each with
 * its location in the source.
 */
// `tokenvault` is Tokenvault's own workspace export (services/export.ts), so an export re-imports.
export { IMPORT_FORMATS, type ImportFormat, type ImportProblem } from '../../../src-shared/domain/transfer-types';
import type { ImportFormat, ImportProblem } from '../../../src-shared/domain/transfer-types';

/** A place in the source: `line 3, column 9` and/or a JSON path such as `$.values[2].key`. */
export type Location = string;


export interface SourceVariable {
  name: string;
  value: string;
  location: Location;
  /** The source marks it secret (Postman `secret`, Bruno `vars:secret`). */
  secret?: boolean;
  /** The source's auth settings use it as a token (collection or folder auth). */
  auth?: { kind: 'bearer' } | { kind: 'api_key'; headerName: string };
  /** A token described field by field (a Tokenvault export): no guessing. */
  explicit?: ExplicitToken;
}

export interface ExplicitToken {
  kind: 'bearer' | 'api_key' | 'jwt_session';
  headerName: string | null;
  description: string;
  role: string | null;
  scopes: string[];
  tokenType: string | null;
  tags: string[];
  /** ms since the epoch (UTC). */
  expiresAt: number | null;
  rotationDays: number | null;
  remoteId: string | null;
  refreshToken?: string;
}

export interface SourceEnvironment {
  name: string;
  location: Location;
  variables: SourceVariable[];
  /** Set by the source when it knows (OpenAPI servers); else guessed from the name. */
  production?: boolean;
  /** A base URL the source gives directly (OpenAPI servers). */
  baseUrl?: string | null;
}

export interface ParsedSource {
  format: ImportFormat;
  /** A display name of what was read (collection title, API title, file name). */
  title: string;
  environments: SourceEnvironment[];
  problems: ImportProblem[];
  /** Things the source has that Tokenvault cannot use, with why (not errors). */
  unsupported: ImportProblem[];
  /** What the import does that the user should know but that stops nothing (a name set twice in a .env file: which value is used). */
  warnings?: ImportProblem[];
  provider?: ProviderDefinition;
  /** What a new workspace gets (a Tokenvault export). */
  workspace?: { providerId: string | null; color: string | null; notes: string; rotationDays: number | null };
}

/** A JSON path in the `$.a.b[2]` notation. */
export function jsonPath(path: readonly (string | number)[]): string {
  return `$${path.map((p) => (typeof p === 'number' ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`)).join('')}`;
}

/**
 * A parsed JSON or YAML text that can say where a value was: every location
 * is its JSON path plus its line and column. Throws nothing: a syntax error is
 * returned as a problem with its line and column.
 */
export class StructuredText {
  readonly value: unknown;
  private constructor(
    private readonly doc: Document | null,
    private readonly lines: LineCounter,
    value: unknown,
  ) {
    this.value = value;
  }

  static parse(text: string, kind: 'json' | 'yaml'): { ok: true; text: StructuredText } | { ok: false; problem: ImportProblem } {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
    if (kind === 'json') {
      try {
        return { ok: true, text: new StructuredText(doc.errors.length ? null : doc, lines, JSON.parse(text)) };
      } catch (e) {
        // Only the location: JSON.parse's message quotes the input, which may be a token value.
        const m = /position (\d+)/.exec((e as Error).message);
        const pos = m ? lines.linePos(Number(m[1])) : null;
        const lineCol = /line (\d+) column (\d+)/.exec((e as Error).message);
        const where = pos ? `line ${pos.line}, column ${pos.col}` : lineCol ? `line ${lineCol[1]}, column ${lineCol[2]}` : 'the end of the file';
        return { ok: false, problem: { location: where, message: 'is not valid JSON' } };
      }
    }
    const err = doc.errors[0];
    if (err) {
      const pos = err.linePos?.[0] ?? lines.linePos(err.pos[0]);
      return { ok: false, problem: { location: pos ? `line ${pos.line}, column ${pos.col}` : '$', message: `is not valid YAML (${err.message.split('\n')[0]})` } };
    }
    return { ok: true, text: new StructuredText(doc, lines, doc.toJS({ maxAliasCount: 100 })) };
  }

  /** `$.values[2].key (line 14, column 7)`; the path alone when the position is unknown. */
  at(path: readonly (string | number)[]): Location {
    const p = jsonPath(path);
    const node = this.doc?.getIn(path, true) as { range?: [number, number, number] } | undefined;
    const range = node && typeof node === 'object' && 'range' in node ? node.range : undefined;
    if (!range) {
      // A missing key: point at its parent.
      const parent = path.length > 0 ? (this.doc?.getIn(path.slice(0, -1), true) as { range?: [number, number, number] } | undefined) : undefined;
      if (parent && (isMap(parent) || isSeq(parent)) && parent.range) {
        const pos = this.lines.linePos(parent.range[0]);
        return `${p} (line ${pos.line}, column ${pos.col})`;
      }
      return p;
    }
    const pos = this.lines.linePos(range[0]);
    return `${p} (line ${pos.line}, column ${pos.col})`;
  }
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
