import { VaultError } from '../errors';
import { BUILTIN_DEFINITION_SOURCES } from './builtin';
import { parseProviderDefinition, type ProviderDefinition } from './schema';

export * from './schema';
export * from './lookup';
export { providerOverview, type ProviderOverview } from './overview';
export { describeIssues, definitionIssuesPayload, formatPath, type DefinitionIssue } from './issues';
export { REGATE_ROLES } from './builtin/regate';

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * The built-in definitions as validation made them, when the bundle was built
 * with them (scripts/build-node.mjs validates them at build time and puts the
 * result here through esbuild's `define`): a CLI process then spends nothing
 * on validating its own, fixed data (issue 11; it was a tenth of `tokenvault
 * test`). Undefined elsewhere (tests, the app), where `load` validates.
 */
declare const __TOKENVAULT_VALIDATED_BUILTINS__: readonly ProviderDefinition[] | undefined;
const VALIDATED: readonly ProviderDefinition[] | null = typeof __TOKENVAULT_VALIDATED_BUILTINS__ === 'undefined' ? null : __TOKENVAULT_VALIDATED_BUILTINS__;

/** Built-ins go through the same validation as a user's file; one that fails is a bug, reported loudly. */
function load(source: unknown): ProviderDefinition {
  const id = (source as { id?: unknown }).id;
  const validated = VALIDATED?.find((d) => d.id === id);
  if (validated) return deepFreeze(validated);
  const parsed = parseProviderDefinition(source);
  if (!parsed.ok) {
    throw new VaultError('INTERNAL', `Built-in provider ${String(id)} is invalid.`, {
      issues: parsed.errors.map((e) => ({ path: e.path, message: e.reason })),
    });
  }
  // Shared by every caller, so nobody may change them under the others.
  return deepFreeze(parsed.definition);
}

let builtins: readonly ProviderDefinition[] | null = null;

/**
 * The built-in definitions, validated on first use rather than at import:
 * most CLI commands never need them, and validation is the bulk of a short
 * command's start-up.
 */
export function builtinProviders(): readonly ProviderDefinition[] {
  builtins ??= Object.freeze(BUILTIN_DEFINITION_SOURCES.map((s) => loadedOne.get((s as { id: string }).id) ?? load(s)));
  return builtins;
}

export const BUILTIN_PROVIDER_IDS = ['regate', 'regen-therapy', 'strapi', 'coolset', 'built-accounting', 'bearer', 'api-key'] as const;
export type BuiltinProviderId = (typeof BUILTIN_PROVIDER_IDS)[number];

const loadedOne = new Map<string, ProviderDefinition>();

/**
 * One built-in definition, validated alone on first use: a command that
 * tests one token pays for its provider's validation, not for all seven.
 */
export function getBuiltinProvider(id: string): ProviderDefinition | null {
  if (builtins) return builtins.find((p) => p.id === id) ?? null;
  const cached = loadedOne.get(id);
  if (cached) return cached;
  const source = BUILTIN_DEFINITION_SOURCES.find((s) => (s as { id?: unknown }).id === id);
  if (!source) return null;
  const def = load(source);
  loadedOne.set(id, def);
  return def;
}

/** The built-ins validated, as plain data (for the build, which puts them in the CLI bundles). */
export function validatedBuiltinsForBuild(): ProviderDefinition[] {
  return BUILTIN_DEFINITION_SOURCES.map((s) => {
    const parsed = parseProviderDefinition(s);
    if (!parsed.ok) throw new Error(`Built-in provider ${String((s as { id?: unknown }).id)} is invalid.`);
    return parsed.definition;
  });
}

export function isBuiltinProviderId(id: string): id is BuiltinProviderId {
  return (BUILTIN_PROVIDER_IDS as readonly string[]).includes(id);
}
