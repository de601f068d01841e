import { ID_PATTERN } from './schemas';

/**
 * A REF names a credential the way users think of it, `workspace/env/name`,
 * or by its id. Names cannot contain `/`, so the split is unambiguous.
 */
export type CredentialRef = { id: string } | { workspace: string; environment: string; name: string };

export function parseCredentialRef(text: string): CredentialRef | null {
  // A plain pattern test (the Id schema's rule): telling an id from a name needs no zod, so a command naming a token by REF loads none (issue 11).
  if (ID_PATTERN.test(text) && text.startsWith('cred_')) return { id: text };
  const parts = text.split('/');
  if (parts.length !== 3 || parts.some((p) => p.trim() === '')) return null;
  const [workspace, environment, name] = parts as [string, string, string];
  return { workspace, environment, name };
}

/** `WORKSPACE` or `WORKSPACE/ENV`, as `token list` takes it. */
export function parseScopeRef(text: string): { workspace: string; environment?: string } | null {
  const parts = text.split('/');
  if (parts.length > 2 || parts.some((p) => p.trim() === '')) return null;
  return parts.length === 1 ? { workspace: parts[0]! } : { workspace: parts[0]!, environment: parts[1]! };
}
