import { VaultError } from '../../../src-shared/errors';
import { parseCredentialRef, parseScopeRef } from '../../../src-shared/domain/ref';
import { DurationInput, ExpiryDateInput, RotationInput } from '../../../src-shared/domain/schemas';
import { DURATION_UNITS_HELP } from '../../../src-shared/domain/duration';
import { LIMITS } from '../../../src-shared/domain/limits';
import { isCorrupt, type CredentialSummary } from '../../../src-shared/domain/types';
import type { Vault } from '../../vault/vault';
import { sameValueWarnings } from '../../services/value-warnings';
import { requireStoredValue } from '../../../src-shared/domain/value-state';
import { parseInput } from '../../vault/validate';
import type { CommandSpec } from '../args';
import type { Context } from '../context';
import { confirm } from '../confirm';
import { credentialJson, date, grantOf, safe, table, plural } from '../format';
import { withFlagHints } from '../flag-hints';
import { describeExpirySource } from '../../../src-shared/expiry/expiry-sources';
import { isSessionLapse } from '../../services/expiry-service';
import { promptHidden, readStdin } from '../io';
import { secretLines } from '../../platform/secret-text';

/** What `token add` reads besides its flags, in the user's words (validation errors name these, not `secret.value`). */
const SECRET_FIELDS = {
  name: 'NAME (in WORKSPACE/ENV/NAME)',
  'secret.value': 'the token value (standard input)',
  'secret.refreshToken': 'the refresh token (second line of standard input)',
};

export function resolveRef(vault: Vault, text: string): CredentialSummary {
  const ref = parseCredentialRef(text);
  if (!ref) throw new VaultError('USAGE', `"${text}" is not a token reference: use WORKSPACE/ENV/NAME or a token id (cred_…).`);
  return vault.resolveCredential(ref);
}

/**
 * The secret comes from standard input: piped (`pbpaste | tokenvault token add …`)
 * or typed at a hidden prompt. For a JWT session the second line is the refresh token.
 */
async function readSecret(kind: string): Promise<{ value: string; refreshToken?: string }> {
  if (process.stdin.isTTY) {
    const value = await promptHidden('Token value (input hidden): ');
    if (kind !== 'jwt_session') return { value };
    const refreshToken = await promptHidden('Refresh token (empty for none): ');
    return refreshToken ? { value, refreshToken } : { value };
  }
  // Room for a value and a refresh token at their limits, plus line ends.
  const text = await readStdin(2 * LIMITS.secretLength + 16);
  // The shared normalisation of secrets read from a file or stdin (BOM, CRLF, trailing line end).
  const lines = secretLines(text);
  const [value = '', refreshToken = ''] = lines;
  if (kind === 'jwt_session' && refreshToken.trim()) return { value, refreshToken };
  const extra = lines.slice(1).filter((l) => l.trim() !== '');
  if (extra.length > 0) {
    throw new VaultError('VALIDATION', 'Standard input holds more than one line; a token value is one line (a JWT session may add its refresh token as a second line).', {
      issues: [{ path: 'secret.value', message: 'must be one line' }],
    });
  }
  return { value };
}

function summaryLines(c: CredentialSummary, where: string): string {
  const rows: [string, string][] = [
    ['Token', safe(c.name)],
    ['Where', where],
    ['Id', c.id],
    ['Kind', c.kind + (c.headerName ? ` (${c.headerName})` : '')],
    ['Value', c.fingerprint],
    ['Role/scopes', safe(grantOf(c))],
    ['Status', statusText(c)],
    ['Expires', expiresText(c)],
    ['Rotate every', c.rotationDays === null ? '—' : plural(c.rotationDays, 'day')],
    ['Created', date(c.createdAt)],
    ['Last used', date(c.lastUsedAt)],
    ['Last tested', c.lastTestedAt === null ? '—' : `${date(c.lastTestedAt)} (${c.lastTestOutcome})`],
  ];
  if (c.description) rows.push(['Description', safe(c.description)]);
  if (c.notes) rows.push(['Notes', safe(c.notes)]);
  if (c.remoteId) rows.push(['Remote id', safe(c.remoteId)]);
  if (c.tags.length) rows.push(['Tags', safe(c.tags.join(', '))]);
  return rows.map(([k, v]) => `${k.padEnd(13)}${v}`).join('\n');
}

/** A lapsed sign-in says what to do; everything else is its status word. */
export function statusText(c: CredentialSummary, now = Date.now()): string {
  if (isSessionLapse(c) && c.expiresAt !== null && c.expiresAt <= now && c.status !== 'revoked') return 'signed out — sign in again';
  return c.status;
}

/** `1 Mar 2027 (end of that day; from the date entered)`, or `never`. */
export function expiresText(c: CredentialSummary): string {
  if (c.expiresAt === null) return 'never';
  const parts = [c.expiresOn ? 'end of that day' : null, c.expirySource ? `from ${describeExpirySource(c.expirySource)}` : null].filter(Boolean);
  return `${date(c.expiresAt, c.expiresOn)}${parts.length ? ` (${parts.join('; ')})` : ''}`;
}

function whereOf(vault: Vault, c: CredentialSummary): string {
  const ws = vault.getWorkspace(c.workspaceId);
  const env = vault.getEnvironment(c.environmentId);
  return `${safe(ws.name)}/${safe(env.name)}${env.production ? ' (PRODUCTION)' : ''}`;
}

export const tokenCommands: (CommandSpec & { run(ctx: Context): Promise<void> })[] = [
  {
    words: ['token', 'add'],
    usage:
      'token add WORKSPACE/ENV/NAME --kind bearer|api_key|jwt_session [--header NAME] [--role R] [--scopes a,b] [--token-type T] [--expires DATE | --duration 30d|6mo] [--rotate-every 90d] [--remote-id ID] [--description TEXT] [--notes TEXT] [--tag T]...  (value on standard input)\n' +
      `  --expires 2027-03-01 is a calendar date: the token works until the end of that day in your time zone.\n` +
      `  --duration units: ${DURATION_UNITS_HELP}; days and longer are calendar days in your time zone.`,
    summary: 'Add a token; its value is read from standard input, never from the command line',
    options: {
      kind: { type: 'string', required: true, valueName: 'bearer|api_key|jwt_session' },
      header: { type: 'string', valueName: 'NAME', field: 'headerName' },
      role: { type: 'string', valueName: 'R' },
      scopes: { type: 'string', valueName: 'a,b' },
      'token-type': { type: 'string', valueName: 'T' },
      expires: { type: 'string', valueName: 'DATE', field: ['expiresAt', 'expiresOn'] },
      duration: { type: 'string', valueName: '30d', field: 'expiresAfter' },
      'rotate-every': { type: 'string', valueName: '90d', field: 'rotationDays' },
      'remote-id': { type: 'string', valueName: 'ID' },
      description: { type: 'string', valueName: 'TEXT' },
      notes: { type: 'string', valueName: 'TEXT' },
      tag: { type: 'string', multiple: true, valueName: 'T', field: 'tags' },
    },
    fields: SECRET_FIELDS,
    positionals: [1, 1],
    async run(ctx) {
      const v = ctx.values;
      const ref = parseCredentialRef(ctx.positionals[0]!);
      if (!ref || 'id' in ref) throw new VaultError('USAGE', 'Name the new token as WORKSPACE/ENV/NAME.');
      if (v.kind === undefined) throw new VaultError('USAGE', '--kind is required: bearer, api_key or jwt_session.');
      if (v.expires !== undefined && v.duration !== undefined) {
        throw new VaultError('USAGE', 'Give either --expires DATE or --duration, not both.');
      }
      // Parse every flag before reading the secret, so a typo never costs a paste.
      // A date-only --expires stays a calendar date; --duration is counted by the shared rule (calendar days in your zone).
      const expiry: { expiresAt?: number; expiresOn?: string; expiresAfter?: string } = {};
      if (v.expires !== undefined) {
        const e = parseInput(ExpiryDateInput, v.expires, '--expires');
        if ('date' in e) expiry.expiresOn = e.date;
        else expiry.expiresAt = e.at;
      }
      if (v.duration !== undefined) {
        parseInput(DurationInput, v.duration, '--duration');
        expiry.expiresAfter = String(v.duration);
      }
      const rotationDays = v['rotate-every'] === undefined ? null : parseInput(RotationInput, v['rotate-every'], '--rotate-every');
      const vault = await ctx.unlocked();
      const ws = vault.findWorkspace(ref.workspace);
      const env = vault.findEnvironment(ws.id, ref.environment);
      const scopes = typeof v.scopes === 'string' ? v.scopes.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
      // An API key without --header goes in the header its provider documents (Regen Therapy: X-API-Key).
      const input = ctx.catalog().withDocumentedHeader({
        environmentId: env.id,
        name: ref.name,
        kind: v.kind,
        ...(v.header !== undefined ? { headerName: v.header } : {}),
        ...(v.role !== undefined ? { role: v.role } : {}),
        ...(scopes ? { scopes } : {}),
        ...(v['token-type'] !== undefined ? { tokenType: v['token-type'] } : {}),
        ...(v['remote-id'] !== undefined ? { remoteId: v['remote-id'] } : {}),
        ...(v.description !== undefined ? { description: v.description } : {}),
        ...(v.notes !== undefined ? { notes: v.notes } : {}),
        ...(v.tag !== undefined ? { tags: v.tag } : {}),
        ...expiry,
        rotationDays,
      });
      // Validate the metadata with a placeholder secret first: a bad flag is
      // reported before the user pastes anything.
      vault.validateCredentialInput({ ...input, secret: { value: 'placeholder' } });
      // The provider's grant model too (a role where it decides by scope), before the paste.
      withFlagHints(() => ctx.catalog().checkGrant(input, env.id));
      const secret = await readSecret(String(v.kind));
      const c = ctx.catalog().addCredential({ ...input, secret });
      const warnings = sameValueWarnings(vault, c.id);
      for (const w of warnings) ctx.out.info(`WARNING: ${safe(w.message)}`);
      ctx.out.result(warnings.length ? { ...credentialJson(c), warnings } : credentialJson(c), `Added ${c.kind} token ${safe(c.name)} to ${whereOf(vault, c)}: ${c.fingerprint} (${c.id}).`);
    },
  },
  {
    words: ['token', 'list'],
    usage: 'token list [WORKSPACE[/ENV]]',
    summary: 'List tokens (masked), optionally of one workspace or environment',
    options: {},
    positionals: [0, 1],
    async run(ctx) {
      const vault = await ctx.unlocked();
      let filter: { workspaceId?: string; environmentId?: string } = {};
      if (ctx.positionals[0]) {
        const scope = parseScopeRef(ctx.positionals[0]);
        if (!scope) throw new VaultError('USAGE', 'Usage: tokenvault token list [WORKSPACE[/ENV]]');
        const ws = vault.findWorkspace(scope.workspace);
        filter = scope.environment ? { environmentId: vault.findEnvironment(ws.id, scope.environment).id } : { workspaceId: ws.id };
      }
      const list = vault.listCredentials(filter);
      const envNames = new Map<string, string>();
      const nameOf = (c: CredentialSummary) => {
        if (!envNames.has(c.environmentId)) envNames.set(c.environmentId, whereOf(vault, c));
        return envNames.get(c.environmentId)!;
      };
      ctx.out.result(list.map((c) => (isCorrupt(c) ? c : credentialJson(c))), () =>
        table(
          ['NAME', 'WHERE', 'KIND', 'ROLE/SCOPES', 'VALUE', 'STATUS', 'EXPIRES', 'ID'],
          list.map((c) =>
            isCorrupt(c)
              ? [`CORRUPT token ${c.id}`]
              : [safe(c.name), nameOf(c), c.kind, safe(grantOf(c)), c.fingerprint, statusText(c), c.expiresAt === null ? 'never' : date(c.expiresAt, c.expiresOn), c.id],
          ),
        ) || 'No tokens here yet. Add one with: tokenvault token add WORKSPACE/ENV/NAME --kind bearer < token.txt',
      );
    },
  },
  {
    words: ['token', 'show'],
    usage: 'token show REF',
    summary: "Show a token's details, its value masked",
    options: {},
    positionals: [1, 1],
    async run(ctx) {
      const vault = await ctx.unlocked();
      const c = resolveRef(vault, ctx.positionals[0]!);
      ctx.out.result(credentialJson(c), () => summaryLines(c, whereOf(vault, c)));
    },
  },
  {
    words: ['token', 'reveal'],
    usage: 'token reveal REF',
    summary: "Print a token's value (audited)",
    options: {},
    positionals: [1, 1],
    unlocksFirst: true,
    async run(ctx) {
      const vault = await ctx.unlocked();
      const c = resolveRef(vault, ctx.positionals[0]!);
      requireStoredValue(c);
      const secret = vault.revealCredential(c.id, 'revealed');
      ctx.out.result(secret, secret.value);
    },
  },
  {
    words: ['token', 'rm'],
    usage: 'token rm REF [--yes]',
    summary: 'Delete a token from the vault (it stays valid at the provider: revoke it there); a production token asks for its name (--yes for scripts)',
    options: { yes: { type: 'boolean', short: 'y' } },
    positionals: [1, 1],
    async run(ctx) {
      const vault = await ctx.unlocked();
      const text = ctx.positionals[0]!;
      let c: CredentialSummary;
      try {
        c = resolveRef(vault, text);
      } catch (e) {
        // A damaged record (CORRUPT) has no name to show, but its id still deletes it.
        const ref = parseCredentialRef(text);
        if (!(e instanceof VaultError && e.code === 'CORRUPT' && ref && 'id' in ref)) throw e;
        vault.removeCredential(ref.id);
        ctx.out.result({ deleted: ref.id }, `Deleted the damaged record ${ref.id} from the vault.`);
        return;
      }
      if (vault.getEnvironment(c.environmentId).production) {
        await confirm(ctx, `Delete ${safe(c.name)} from PRODUCTION ${whereOf(vault, c)}? It stays valid at the provider until revoked there.`, c.name);
      }
      vault.removeCredential(c.id);
      ctx.out.result({ deleted: c.id }, `Deleted ${safe(c.name)} (${c.fingerprint}) from the vault. It still works at the provider until revoked there.`);
    },
  },
];
