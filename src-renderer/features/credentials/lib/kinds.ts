import type { CredentialKind } from '../../../../src-shared/domain/schemas';

/** The kinds as the add form offers them, with a word on when each applies. */
export const CREDENTIAL_KINDS_FOR_FORM: { kind: CredentialKind; label: string }[] = [
  { kind: 'bearer', label: 'Bearer token (Authorization: Bearer …)' },
  { kind: 'api_key', label: 'API key in a header' },
  { kind: 'jwt_session', label: 'JWT session (access + refresh token)' },
];
