import { ExportDocument, EXPORT_FORMAT, EXPORT_VERSION } from '../export';
import { StructuredText, type ParsedSource } from './source';

/** Reads Tokenvault's own workspace export (services/export.ts); every malformed field is a problem at its JSON path and line. */
export function readTokenvaultExport(text: string, fileName: string): ParsedSource {
  const base: ParsedSource = { format: 'tokenvault', title: fileName, environments: [], problems: [], unsupported: [] };
  const parsed = StructuredText.parse(text, 'json');
  if (!parsed.ok) return { ...base, problems: [parsed.problem] };
  const st = parsed.text;
  const v = st.value as { format?: unknown; version?: unknown };
  if (v?.format !== EXPORT_FORMAT) return { ...base, problems: [{ location: st.at(['format']), message: `must be "${EXPORT_FORMAT}"` }] };
  if (typeof v.version === 'number' && v.version > EXPORT_VERSION) {
    return { ...base, problems: [{ location: st.at(['version']), message: `is ${v.version}, newer than this Tokenvault reads (${EXPORT_VERSION}): update Tokenvault` }] };
  }
  const r = ExportDocument.safeParse(st.value);
  if (!r.success) return { ...base, problems: r.error.issues.slice(0, 50).map((i) => ({ location: st.at(i.path as (string | number)[]), message: i.message })) };
  const doc = r.data;
  return {
    ...base,
    title: `${doc.workspace.name} export`,
    workspace: { providerId: doc.workspace.providerId, color: doc.workspace.color, notes: doc.workspace.notes, rotationDays: doc.workspace.rotationDays },
    environments: doc.environments.map((e, i) => ({
      name: e.name,
      location: st.at(['environments', i]),
      baseUrl: e.baseUrl,
      production: e.production,
      variables: e.tokens.map((t, j) => ({
        name: t.name,
        value: t.value ?? '',
        location: st.at(['environments', i, 'tokens', j]),
        explicit: {
          kind: t.kind,
          headerName: t.headerName,
          description: t.description,
          role: t.role,
          scopes: t.scopes,
          tokenType: t.tokenType,
          tags: t.tags,
          expiresAt: t.expiresAt === null ? null : Date.parse(t.expiresAt),
          rotationDays: t.rotationDays,
          remoteId: t.remoteId,
          ...(t.refreshToken ? { refreshToken: t.refreshToken } : {}),
        },
      })),
    })),
  };
}
