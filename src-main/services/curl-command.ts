import { VaultError } from '../../src-shared/errors';
import { quotePosix } from '../../src-shared/domain/env-vars';
import type { CurlCommand } from '../../src-shared/ipc/contract';
import { buildUrl, outgoingHeaders } from '../http/engine';
import type { Vault } from '../vault/vault';
import type { RequestService } from './request-service';

export interface CurlInput {
  credentialId: string;
  /** A test preset; without it (and without `path`), the one-click test's preset. */
  presetId?: string;
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** The shell variable that stands for the token in every line. */
export const TOKEN_VARIABLE = 'TOKEN';
// Never a value: the credential's header is built around this marker, then the marker becomes "$TOKEN".
const MARKER = '\u0000tokenvault-token\u0000';

/**
 * "Copy as curl" (issue 12): the request a test or the request panel sends,
 * as a curl command — method, URL and every header the engine would send
 * (engine.outgoingHeaders), with the token as `$TOKEN` — and the same call
 * through `tokenvault exec`, which sets TOKEN for the command only. Built
 * here, in the main process, without reading the token's value at all, so
 * nothing secret reaches the renderer. Errors: NOT_FOUND (token, preset),
 * VALIDATION (no path and no preset), UNSAFE_REQUEST (a path that leaves the base URL).
 */
export function curlCommand(vault: Vault, requests: RequestService, input: CurlInput): CurlCommand {
  const c = vault.getCredential(input.credentialId);
  const env = vault.getEnvironment(c.environmentId);
  const ws = vault.getWorkspace(c.workspaceId);
  const def = requests.providerOf(ws.providerId);
  const preset = input.path === undefined ? requests.pickPreset(def, c, input.presetId) : null;
  const method = (input.method ?? preset?.method ?? 'GET').toUpperCase();
  const path = input.path ?? preset?.path;
  if (!path) throw new VaultError('VALIDATION', `${def.name} has no test preset for this kind of token: give a method and a path.`, { issues: [{ path: 'path', message: 'is required' }] });
  if (!env.baseUrl) throw new VaultError('VALIDATION', `${ws.name} / ${env.name} has no base URL: set one to build the request.`);
  const url = buildUrl(env.baseUrl, path).toString();
  const hasBody = input.body !== undefined;
  const headers = outgoingHeaders(input.headers, { kind: c.kind, headerName: c.headerName, value: MARKER }, true, hasBody);

  const args = ['curl', '--request', method, quotePosix(url), ...Object.entries(headers).flatMap(([k, v]) => ['--header', withToken(`${k}: ${v}`)])];
  if (hasBody) args.push('--data-raw', quotePosix(input.body!));
  const curl = `curl --request ${method} ${quotePosix(url)}${Object.entries(headers)
    .map(([k, v]) => ` \\\n  --header ${withToken(`${k}: ${v}`)}`)
    .join('')}${hasBody ? ` \\\n  --data-raw ${quotePosix(input.body!)}` : ''}`;
  const ref = `${ws.name}/${env.name}/${c.name}`;
  const exec = `tokenvault exec --map ${quotePosix(`${TOKEN_VARIABLE}=${ref}`)} -- sh -c ${quotePosix(args.join(' '))}`;
  return { curl, exec };
}

/** Quotes a header line for a POSIX shell, leaving the token's place as "$TOKEN" (expanded by the shell, never written out). */
function withToken(line: string): string {
  return line
    .split(MARKER)
    .map((part) => (part === '' ? '' : quotePosix(part)))
    .join(`"$${TOKEN_VARIABLE}"`);
}
