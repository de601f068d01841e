import type { ProviderDefinition } from './schema';

/** What a provider definition says at a glance, as the import previews (CLI and app) show it before it is saved. */
export interface ProviderOverview {
  /** Each auth scheme in words: `bearer`, `API key in X-Api-Key`, …; empty when it has none. */
  authentication: string[];
  /** Each test preset as `METHOD /path`, in the definition's order. */
  testRequests: string[];
  /** The permission model's endpoints with every method some role may call (role matrix only; else empty). */
  endpoints: { path: string; methods: string[] }[];
}

/** Takes a validated definition; pure, no errors. */
export function providerOverview(d: ProviderDefinition): ProviderOverview {
  return {
    authentication: d.auth.map((a) => (a.scheme === 'api_key' ? `API key in ${a.headerName}` : a.scheme)),
    testRequests: d.testPresets.map((t) => `${t.method} ${t.path}`),
    endpoints: d.roles?.kind === 'role_matrix' ? d.roles.endpoints.map((e) => ({ path: e.path, methods: [...new Set(Object.values(e.allow).flat())] })) : [],
  };
}
