import { VaultError } from '../../src-shared/errors';
import { getBuiltinProvider } from '../../src-shared/providers';
import type { ProviderDefinition } from '../../src-shared/providers/schema';
import { grantFields, resolveGrant } from '../../src-shared/roles';

/** Finds a provider definition by id (built-in or the user's); null when unknown. */
export type ProviderLookup = (id: string) => ProviderDefinition | null;

/** The grant fields of a token as given (any may be absent). */
export interface GivenGrant {
  role?: unknown;
  scopes?: unknown;
  tokenType?: unknown;
}

/**
 * Refuses a role, scopes or token type that the provider's permission model
 * does not decide by (a role for Coolset, which decides by scope): stored,
 * it would be shown and never checked. VALIDATION naming the fields the
 * provider does use, and which of them takes the value when one matches
 * ("Give "Admin" as the scope instead."). No provider, or one without a
 * permission model: nothing to refuse.
 */
export function refuseUnusedGrantFields(def: ProviderDefinition | null, c: GivenGrant, pathPrefix = ''): void {
  if (!def?.roles) return;
  const given = (['role', 'scopes', 'tokenType'] as const).filter((f) => c[f] !== undefined && c[f] !== null);
  if (given.length === 0) return;
  const { ignored } = resolveGrant(def.roles, {
    ...(typeof c.role === 'string' ? { role: c.role } : {}),
    ...(Array.isArray(c.scopes) ? { scopes: c.scopes as string[] } : {}),
    ...(typeof c.tokenType === 'string' ? { tokenType: c.tokenType } : {}),
  });
  const unused = ignored.filter((f) => (given as readonly string[]).includes(f));
  if (unused.length === 0) return;
  const fields = grantFields(def.roles);
  const uses = fields.map((f) => `${f.label.toLowerCase()}${f.options.length ? ` (${f.options.join(', ')})` : ''}`).join('; ');
  // The value given may be right but in the wrong field ("Admin" as a role where Admin is a scope): say which field takes it.
  const first = c[unused[0]!];
  const given0 = String(Array.isArray(first) ? (first[0] ?? '') : (first ?? ''));
  const instead = fields.find((f) => f.options.some((o) => o.toLowerCase() === given0.toLowerCase()));
  const insteadValue = instead?.options.find((o) => o.toLowerCase() === given0.toLowerCase());
  const hint = instead ? ` Give "${insteadValue}" as the ${instead.label.toLowerCase()} instead.` : '';
  // Said in the user's words (the form's labels, the CLI's flags), never the field names.
  const words: Record<string, string> = { role: 'a role (--role)', scopes: 'scopes (--scopes)', tokenType: 'a token type (--token-type)' };
  const said = unused.map((f) => words[f] ?? f).join(' and ');
  throw new VaultError('VALIDATION', `${def.name} decides permissions by ${uses}; ${said} ${unused.length > 1 ? 'do' : 'does'} not apply.${hint}`, {
    issues: unused.map((f) => ({ path: `${pathPrefix}${f}`, message: `does not apply to ${def.name}: use ${uses}` })),
    ...(instead ? { details: { useField: instead.field, useValue: insteadValue ?? given0, wrongField: unused[0]! } } : {}),
  });
}

/**
 * The vault's own check of grant fields on every write path (add, bulk add,
 * import, edit), so a caller that skips the Catalog (scripts, seeding) cannot
 * store what the form and the CLI refuse. It knows the built-in providers;
 * the Catalog hands it the registry so the user's definitions count too.
 */
export class GrantGuard {
  private lookup: ProviderLookup = getBuiltinProvider;

  /** Use this lookup (the provider registry: built-in and the user's definitions). */
  useProviders(lookup: ProviderLookup): void {
    this.lookup = lookup;
  }

  /** Throws VALIDATION (see refuseUnusedGrantFields) for a token in a workspace of `providerId`. */
  check(providerId: string | null, c: GivenGrant, pathPrefix = ''): void {
    if (!providerId) return;
    refuseUnusedGrantFields(this.lookup(providerId), c, pathPrefix);
  }
}
