import type { CredentialSummary, Environment, Workspace } from '../../src-shared/domain/types';

/** Plausible records for tests; override what a test is about. */
let seq = 0;
const id = (prefix: string) => `${prefix}_${String(++seq).padStart(20, '0')}`;

export function workspace(over: Partial<Workspace> = {}): Workspace {
  return { id: id('ws'), name: 'Acme', providerId: null, color: '#2f6fed', notes: '', createdAt: 0, updatedAt: 0, ...over };
}

export function environment(over: Partial<Environment> = {}): Environment {
  return { id: id('env'), workspaceId: 'ws_x', name: 'sandbox', baseUrl: 'https://sandbox.example.com', production: false, createdAt: 0, updatedAt: 0, ...over };
}

export function credential(over: Partial<CredentialSummary> = {}): CredentialSummary {
  return {
    id: id('cred'),
    workspaceId: 'ws_x',
    environmentId: 'env_x',
    name: 'Token',
    description: '',
    notes: '',
    kind: 'bearer',
    headerName: null,
    role: null,
    scopes: [],
    tokenType: null,
    fingerprint: 'abcd…wxyz',
    hasRefreshToken: false,
    status: 'active',
    createdAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_000,
    expiresAt: null,
    expirySource: null,
    expiresOn: null,
    rotationDays: null,
    rotatedAt: 1_700_000_000_000,
    lastUsedAt: null,
    lastTestedAt: null,
    lastTestOutcome: null,
    remoteId: null,
    tags: [],
    identity: null,
    supersedes: null,
    supersededBy: null,
    hasValue: true,
    ...over,
  };
}
