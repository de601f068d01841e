import { VaultError } from '../errors';
import { BUILTIN_DEFINITION_SOURCES } from './builtin';
import { parseProviderDefinition, type ProviderDefinition } from './schema';

export * from './schema';
export * from './lookup';
export { describeIssues, definitionIssuesPayload, formatPath, type DefinitionIssue } from './issues';
export { REGATE_ROLES } from './builtin/regate';

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Built-ins go through the same validation as a user's file; one that fails is a bug, reported loudly. */
function load(source: unknown): ProviderDefinition {
  const parsed = parseProviderDefinition(source);
  if (!parsed.ok) {
    const id = (source as { id?: unknown }).id;
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

export function isBuiltinProviderId(id: string): id is BuiltinProviderId {
  return (BUILTIN_PROVIDER_IDS as readonly string[]).includes(id);
}
