import type { ProviderDefinition } from '../providers/schema';

/**
 * What backup, restore, import and export show people (issue 14): names,
 * kinds, fingerprints and locations, never a token value.
 */

/** keep mine (the current vault's record), take theirs (the backup's), or keep both (the backup's under a new id and name). */
export type ConflictChoice = 'mine' | 'theirs' | 'both';
export const CONFLICT_CHOICES = ['mine', 'theirs', 'both'] as const;

export interface RestoreConflict {
  /** Stable key for a per-conflict choice: `workspace:ws_…`, `environment:env_…`, `credential:cred_…`, `provider:ID`, `setting:KEY`. */
  key: string;
  entity: 'workspace' | 'environment' | 'credential' | 'provider' | 'setting';
  id: string;
  /** `workspace/env/name` as far as it applies. */
  path: string;
  /** same-id: the record exists with other content; same-name: another record has this name in the same place. */
  reason: 'same-id' | 'same-name';
  /** Choices that apply: settings have no "both". */
  choices: ConflictChoice[];
}

export interface MergeCounts {
  workspaces: number;
  environments: number;
  credentials: number;
  settings: number;
  providers: number;
}

/** What restoring a backup would do, before anything is written. */
export interface BackupInspection {
  mode: 'new' | 'merge';
  /** ISO 8601, UTC. */
  createdAt: string;
  counts: { workspaces: number; environments: number; credentials: number; auditEvents: number; providers: number };
  /** For a merge: what it adds, what is identical, and the conflicts to choose for. */
  create: MergeCounts | null;
  unchanged: number;
  conflicts: RestoreConflict[];
}

export interface ImportProblem {
  /** `line 3, column 9`, or a JSON path with its line: `$.values[2].key (line 14, column 7)`. */
  location: string;
  message: string;
}

export const IMPORT_FORMATS = ['dotenv', 'postman', 'insomnia', 'bruno', 'openapi', 'tokenvault'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export interface ImportPreview {
  format: ImportFormat;
  title: string;
  workspace: { name: string; exists: boolean };
  provider: { id: string; name: string; exists: boolean; definition: ProviderDefinition } | null;
  environments: { name: string; baseUrl: string | null; production: boolean; exists: boolean; location: string }[];
  create: { environment: string; name: string; kind: 'bearer' | 'api_key' | 'jwt_session'; headerName: string | null; fingerprint: string; location: string; why: string }[];
  skipped: { name: string; location: string; reason: string }[];
  /** Tokens whose name already exists in their environment: never overwritten. */
  existing: { environment: string; name: string; location: string }[];
  unsupported: ImportProblem[];
  /** Worth knowing, stops nothing: e.g. a name set on two lines of a .env file, with which line's value is imported. */
  warnings: ImportProblem[];
  /** Each stops the import: nothing is saved while any remains. */
  problems: ImportProblem[];
}

export interface ImportResult {
  workspaceId: string;
  created: { environments: number; credentials: number; provider: boolean };
}
