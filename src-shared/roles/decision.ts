import type { HttpMethod } from '../domain/http-method';

/**
 * What a credential holds, as the vault records it (`CredentialSummary.role`,
 * `.scopes`, `.tokenType`). Each model reads the fields it decides by:
 * role_matrix → role; scope_set → scopes; token_types → tokenType, plus
 * `contentType.action` permissions in scopes for custom tokens;
 * coarse_scopes → scopes (the level names).
 */
export interface GrantInput {
  role?: string | null;
  /** An array, or one string as documents write it: `read:orders,write:*`. */
  scopes?: readonly string[] | string | null;
  tokenType?: string | null;
}

/** A grant in the documented spelling. */
export interface Grant {
  role: string | null;
  scopes: string[];
  tokenType: string | null;
}

export type GrantField = 'role' | 'scopes' | 'tokenType';

export type Decision = 'allowed' | 'denied' | 'unknown_endpoint';

export interface CheckResult {
  decision: Decision;
  /** The rule that decided, as a sentence that starts with the model's label. */
  rule: string;
  /**
   * Roles, scopes, token types or levels that would allow the call (filled
   * for allowed and denied alike; empty for unknown_endpoint, and for a call
   * no documented grant allows).
   */
  allowedBy: string[];
  /** The documented endpoint or resource the request matched; null when unknown. */
  endpoint: string | null;
}

export interface EndpointAccess {
  /** A path template, or `*` for "every endpoint" (coarse scopes without paths). */
  path: string;
  methods: HttpMethod[];
  /** Why: the role, scopes, token type or level that grants it. */
  via: string;
  /** Other spellings of the path that the documents use (e.g. Regate's typos). */
  aliases?: string[];
  /** For scope resources: the path covers everything beneath it too. */
  includesSubpaths?: boolean;
}

export interface WhoCanCallResult {
  /** False when the endpoint (or method) is not in the documented model. */
  known: boolean;
  endpoint: string | null;
  allowedBy: string[];
  rule: string;
}
