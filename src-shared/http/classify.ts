import type { TestOutcome } from '../domain/types';

export type Classification = TestOutcome;

export function classifyStatus(status: number): Classification {
  if (status >= 200 && status < 300) return 'ok';
  // A 3xx the engine ends on (not followed, or no Location) is no answer from the API.
  if (status >= 300 && status < 400) return 'redirected';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (status >= 400 && status < 500) return 'client_error';
  return 'server_error';
}

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_REVOKED',
  'EPROTO',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

/** Socket and TLS failures, by Node's error codes. */
export function classifyError(code: string | undefined): { classification: Classification; explanation: string } {
  if (code === 'ETIMEDOUT' || code === 'TIMEOUT') return { classification: 'timeout', explanation: 'The server did not answer in time.' };
  if (code && (TLS_CODES.has(code) || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL'))) {
    return { classification: 'tls', explanation: `The TLS connection failed (${code}): the server's certificate is not trusted or the handshake failed. The token was not sent.` };
  }
  const words: Record<string, string> = {
    ENOTFOUND: 'The host name does not resolve (DNS): check the base URL, or your network.',
    EAI_AGAIN: 'DNS lookup failed for now: check your network.',
    ECONNREFUSED: 'The connection was refused: nothing is listening at that address and port.',
    ECONNRESET: 'The server closed the connection before answering.',
    EHOSTUNREACH: 'The host is unreachable from this network.',
    ENETUNREACH: 'The network is unreachable.',
  };
  return { classification: 'network', explanation: words[code ?? ''] ?? `The request failed before an answer (${code ?? 'network error'}).` };
}

/** A documented error body, matched by status, with what it means in plain words. */
export interface DocumentedError {
  status: number;
  meaning: string;
  /** Optional: a substring of the documented body, so an undocumented body with the same status is told apart. */
  bodyIncludes?: string;
}

const GENERIC: Record<Classification, string> = {
  ok: 'the request succeeded',
  unauthorized: 'the token is missing, invalid, expired or revoked',
  forbidden: 'the token is valid but its role or scopes do not allow this call',
  not_found: 'the path does not exist here (or the token may not see it)',
  rate_limited: 'too many requests: wait before retrying',
  client_error: 'the server rejected the request',
  server_error: 'the server failed; the token may be fine',
  timeout: 'the server did not answer in time',
  network: 'the request did not reach the server',
  tls: 'the secure connection failed',
  redirected: 'the API redirected the request, and the token got no answer',
};

/** "401 from Coolset: the token is missing or invalid" — the provider's own words where it documents them. */
export function explainStatus(status: number, providerName: string, body: string, documented: readonly DocumentedError[] = []): string {
  const classification = classifyStatus(status);
  const doc =
    documented.find((d) => d.status === status && d.bodyIncludes !== undefined && body.includes(d.bodyIncludes)) ??
    documented.find((d) => d.status === status && d.bodyIncludes === undefined) ??
    documented.find((d) => d.status === status);
  return `${status} from ${providerName}: ${doc?.meaning ?? GENERIC[classification]}`;
}
