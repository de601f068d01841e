import { describe, expect, it } from 'vitest';
import { BUILTIN_PROVIDER_IDS, builtinProviders, getBuiltinProvider, isBuiltinProviderId } from './index';
import { BUILTIN_DEFINITION_SOURCES } from './builtin';
import { parseProviderDefinition, ProviderDefinition } from './schema';

describe('built-in providers', () => {
  it('are exactly the documented five and the two generic ones', () => {
    expect(builtinProviders().map((p) => p.id)).toEqual(['regate', 'regen-therapy', 'strapi', 'coolset', 'built-accounting', 'bearer', 'api-key']);
    expect(builtinProviders().map((p) => p.id)).toEqual([...BUILTIN_PROVIDER_IDS]);
  });

  it.each(BUILTIN_DEFINITION_SOURCES.map((s) => [s.id, s] as const))('%s passes the same validation as a user file', (_id, source) => {
    const r = parseProviderDefinition(source);
    expect(r.ok ? [] : r.errors).toEqual([]);
    // And survives a trip through JSON, as an exported definition file would.
    expect(parseProviderDefinition(JSON.stringify(source)).ok).toBe(true);
  });

  it('are already in their parsed form', () => {
    for (const p of builtinProviders()) expect(ProviderDefinition.parse(p)).toEqual(p);
  });

  it('are frozen, so no caller can change them for the others', () => {
    const regate = getBuiltinProvider('regate')!;
    expect(Object.isFrozen(regate)).toBe(true);
    expect(Object.isFrozen(regate.environments[0])).toBe(true);
    expect(() => {
      (regate.testPresets as unknown[]).push({});
    }).toThrow();
  });

  it('are found by id', () => {
    expect(getBuiltinProvider('strapi')?.name).toBe('Strapi');
    expect(getBuiltinProvider('nope')).toBeNull();
    expect(isBuiltinProviderId('coolset')).toBe(true);
    expect(isBuiltinProviderId('Coolset')).toBe(false);
  });
});
