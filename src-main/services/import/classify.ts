import { BaseUrl, SecretValue } from '../../../src-shared/domain/schemas';
import type { ExplicitToken, Location, SourceVariable } from './source';

/**
 * What a variable becomes: a token (kind guessed from its name, or given by
 * the source's auth settings), a base URL candidate, or skipped with a reason.
 * Names are the evidence: `…_API_KEY` → api_key (header X-API-Key),
 * `…_TOKEN` / `…_SECRET` / `…_BEARER` → bearer; passwords and plain settings
 * (`PORT`, `DEBUG`, numbers, booleans) are not tokens.
 */
export type Classified =
  | { as: 'token'; name: string; kind: 'bearer' | 'api_key' | 'jwt_session'; headerName: string | null; value: string; location: Location; why: string; explicit?: ExplicitToken }
  | { as: 'base_url'; name: string; value: string; location: Location; rank: number }
  | { as: 'skip'; name: string; location: Location; reason: string };

const API_KEY = /(^|[^a-z])(api[-_ ]?key|apikey|x[-_]api[-_]key)([^a-z]|$)/i;
const TOKENISH = /(token|secret|bearer|access[-_]?key|\bpat\b|auth)/i;
const PASSWORD = /(password|passwd|\bpass\b|pwd)/i;
const URLISH = /(url|uri|host|endpoint|base|origin|domain|server)$/i;
const DEFAULT_API_KEY_HEADER = 'X-API-Key';

/** Only the variable's name and location ever appear in a reason: never its value. */
export function classifyVariable(v: SourceVariable): Classified {
  const value = v.value.trim();
  const skip = (reason: string): Classified => ({ as: 'skip', name: v.name, location: v.location, reason });
  if (v.explicit) {
    if (value === '') return skip('exported without its value (only a plaintext export carries values)');
    const ok = SecretValue.safeParse(value);
    if (!ok.success) return skip(`not usable as a token value (${ok.error.issues[0]?.message ?? 'invalid'})`);
    return { as: 'token', name: v.name, kind: v.explicit.kind, headerName: v.explicit.headerName, value: ok.data, location: v.location, why: 'a token of the export', explicit: v.explicit };
  }
  if (value === '') return skip('empty value');
  if (/\{\{.*\}\}/.test(value)) return skip('refers to another variable; import the variable it names');
  if (/^https?:\/\//i.test(value)) {
    const ok = BaseUrl.safeParse(value);
    if (!ok.success) return skip(`a URL Tokenvault cannot use as a base URL (${ok.error.issues[0]?.message ?? 'invalid'})`);
    return { as: 'base_url', name: v.name, value: ok.data, location: v.location, rank: /base[-_]?ur[li]|^url$|api[-_]?ur[li]/i.test(v.name) ? 0 : URLISH.test(v.name) ? 1 : 2 };
  }
  const asToken = (kind: 'bearer' | 'api_key', headerName: string | null, why: string): Classified => {
    const ok = SecretValue.safeParse(value);
    if (!ok.success) return skip(`not usable as a token value (${ok.error.issues[0]?.message ?? 'invalid'})`);
    return { as: 'token', name: v.name, kind, headerName, value: ok.data, location: v.location, why };
  };
  if (v.auth) return v.auth.kind === 'api_key' ? asToken('api_key', v.auth.headerName, 'used as an API key by the source’s auth settings') : asToken('bearer', null, 'used as a bearer token by the source’s auth settings');
  if (PASSWORD.test(v.name)) return skip('a password is not an API token');
  if (API_KEY.test(v.name)) return asToken('api_key', DEFAULT_API_KEY_HEADER, 'its name says API key');
  if (TOKENISH.test(v.name)) return asToken('bearer', null, 'its name says token or secret');
  if (v.secret) return asToken('bearer', null, 'the source marks it secret');
  if (/^(port|debug|node_env|env|log_level|tz|lang|locale)$/i.test(v.name) || /^(\d+|true|false|yes|no|on|off)$/i.test(value)) return skip('a setting, not a secret');
  return skip('does not look like a token (rename it …_TOKEN or …_API_KEY to import it)');
}

/** The environment names that say production (`prod`, `production`, `live`), but not `preprod`/`staging`. */
export function looksProduction(name: string): boolean {
  return /(^|[^a-z])(prod|production|live)([^a-z]|$)/i.test(name) && !/pre-?prod|staging|stage/i.test(name);
}
