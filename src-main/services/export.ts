import * as z from 'zod';
import { VaultError } from '../../src-shared/errors';
import { isCorrupt } from '../../src-shared/domain/types';
import type { Vault } from '../vault/vault';
import { writePrivateFile } from '../platform/write-private-file';

/**
 * A workspace as provider-neutral JSON, to share a setup with a colleague:
 * its environments and tokens' metadata, and token values only in an
 * explicit plaintext export (`withSecrets`). `tokenvault import` reads it
 * back (format `tokenvault`) to the same state.
 */
export const EXPORT_FORMAT = 'tokenvault-export';
export const EXPORT_VERSION = 1;

const IsoDate = z.iso.datetime({ offset: true });

export const ExportedToken = z.strictObject({
  name: z.string(),
  kind: z.enum(['bearer', 'api_key', 'jwt_session']),
  headerName: z.string().nullable(),
  description: z.string(),
  role: z.string().nullable(),
  scopes: z.array(z.string()),
  tokenType: z.string().nullable(),
  tags: z.array(z.string()),
  /** ISO 8601 (UTC), or null when the token does not expire. */
  expiresAt: IsoDate.nullable(),
  rotationDays: z.number().int().positive().nullable(),
  remoteId: z.string().nullable(),
  /** Masked, to recognise the token; never the value. */
  fingerprint: z.string(),
  /** Only in a plaintext export. */
  value: z.string().optional(),
  refreshToken: z.string().optional(),
});
export type ExportedToken = z.infer<typeof ExportedToken>;

export const ExportDocument = z.strictObject({
  format: z.literal(EXPORT_FORMAT),
  version: z.number().int().positive(),
  /** ISO 8601, UTC. */
  exportedAt: IsoDate,
  withSecrets: z.boolean(),
  workspace: z.strictObject({
    name: z.string(),
    providerId: z.string().nullable(),
    color: z.string().nullable(),
    notes: z.string(),
    rotationDays: z.number().int().positive().nullable(),
  }),
  environments: z.array(z.strictObject({ name: z.string(), baseUrl: z.string(), production: z.boolean(), tokens: z.array(ExportedToken) })),
});
export type ExportDocument = z.infer<typeof ExportDocument>;

/**
 * The export of one workspace (by name or id). Revoked tokens are left out
 * (they are history, not setup). Throws NOT_FOUND, LOCKED.
 */
export function buildExport(vault: Vault, workspace: string, opts: { withSecrets: boolean }): ExportDocument {
  const ws = vault.findWorkspace(workspace);
  const x = vault.internals();
  const policy = x.db.prepare('SELECT rotation_days FROM workspace_policies WHERE workspace_id = ?').get(ws.id) as { rotation_days: number | null } | undefined;
  const environments = vault
    .listEnvironments(ws.id)
    .filter((e) => !isCorrupt(e))
    .map((e) => {
      if (isCorrupt(e)) throw new Error('unreachable');
      const tokens = vault
        .listCredentials({ environmentId: e.id })
        .flatMap((c) => (isCorrupt(c) || c.status === 'revoked' ? [] : [c]))
        .map((c): ExportedToken => {
          const t: ExportedToken = {
            name: c.name,
            kind: c.kind,
            headerName: c.headerName,
            description: c.description,
            role: c.role,
            scopes: c.scopes,
            tokenType: c.tokenType,
            tags: c.tags,
            expiresAt: c.expiresAt === null ? null : new Date(c.expiresAt).toISOString(),
            rotationDays: c.rotationDays,
            remoteId: c.remoteId,
            fingerprint: c.fingerprint,
          };
          if (opts.withSecrets && c.hasValue) {
            const s = vault.secretForRequest(c.id);
            t.value = s.value;
            if (s.refreshToken) t.refreshToken = s.refreshToken;
          }
          return t;
        });
      return { name: e.name, baseUrl: e.baseUrl, production: e.production, tokens };
    });
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: new Date(x.now()).toISOString(),
    withSecrets: opts.withSecrets,
    workspace: { name: ws.name, providerId: ws.providerId, color: ws.color, notes: ws.notes, rotationDays: policy?.rotation_days ?? null },
    environments,
  };
}

/**
 * Writes the export owner-only (temporary file and rename), and audits it as
 * `exported`: a plaintext export names how many values left the vault.
 */
export function writeExport(vault: Vault, workspace: string, file: string | null, opts: { withSecrets: boolean }): { doc: ExportDocument; text: string; values: number } {
  const doc = buildExport(vault, workspace, opts);
  const text = `${JSON.stringify(doc, null, 2)}\n`;
  const values = doc.environments.reduce((n, e) => n + e.tokens.filter((t) => t.value !== undefined).length, 0);
  if (opts.withSecrets && file === null) throw new VaultError('USAGE', 'A plaintext export goes to a file (owner-only), never to the terminal.');
  if (file !== null) writePrivateFile(file, text);
  vault.recordEvent({
    type: 'exported',
    note: opts.withSecrets
      ? `PLAINTEXT export of workspace ${doc.workspace.name}: ${values} token values`
      : `export of workspace ${doc.workspace.name} without secrets`,
  });
  return { doc, text, values };
}
