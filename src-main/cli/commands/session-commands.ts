import { VaultError } from '../../../src-shared/errors';
import { DEFAULT_SESSION_MS, MAX_SESSION_MS, SESSION_ENV } from '../../vault/sessions';
import type { CommandSpec } from '../args';
import type { Context } from '../context';
import { date } from '../format';

const SESSION_LENGTH_RE = /^(\d{1,4})\s*(m|min|h)$/;

/**
 * `15m`, `90min`, `2h`, `12h`: from 1 minute to 12 hours. Unlike a token's
 * `--duration`, a bare `m` is minutes here (the contract's `--for 15m`): a
 * session cannot last months, so nothing is ambiguous.
 */
function sessionLength(text: string | undefined): number {
  if (text === undefined) return DEFAULT_SESSION_MS;
  const m = SESSION_LENGTH_RE.exec(text.trim().toLowerCase());
  const ms = m ? Number(m[1]) * (m[2] === 'h' ? 3_600_000 : 60_000) : null;
  if (ms === null || ms < 60_000 || ms > MAX_SESSION_MS) {
    throw new VaultError('VALIDATION', '--for must be a duration from 1m to 12h, such as 15m, 90m or 8h.', { issues: [{ path: 'for', message: 'must be from 1m to 12h' }] });
  }
  return ms;
}

/** A value a POSIX shell reads back unchanged (the token is base64url and dots, but quote anyway). */
const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export const sessionCommands: (CommandSpec & { run(ctx: Context): Promise<void> })[] = [
  {
    words: ['unlock'],
    usage: 'unlock [--for 15m]',
    summary: `Unlock for a while: prints export ${SESSION_ENV}=… (use: eval "$(tokenvault unlock)"); at most 12h`,
    options: { for: { type: 'string' } },
    positionals: [0, 0],
    async run(ctx) {
      const ttl = sessionLength(ctx.values.for as string | undefined);
      const vault = await ctx.unlocked();
      const s = vault.createSession(ttl);
      const line = `export ${SESSION_ENV}=${shellQuote(s.token)}`;
      ctx.out.result({ session: s.token, expiresAt: s.expiresAt, export: line }, line);
      // The zone is named (the Settings zone, else TZ): "until 14:30" alone is a guess in another shell.
      ctx.out.info(`# Unlocked until ${date(s.expiresAt)}; end it with: tokenvault lock`);
    },
  },
  {
    words: ['lock'],
    usage: 'lock',
    summary: 'End every CLI session (the app locks on its own)',
    options: {},
    positionals: [0, 0],
    async run(ctx) {
      const vault = ctx.open();
      if (vault.status().state === 'uninitialized') throw new VaultError('NOT_INITIALIZED', 'There is no vault here yet. Create one with: tokenvault init');
      // Audited as the one who locked, when this process can unlock without asking (its session, or the keychain).
      await ctx.unlockedQuietly();
      const ended = vault.endSessions();
      ctx.out.result({ endedSessions: ended }, `Ended ${ended} CLI session${ended === 1 ? '' : 's'}.`);
    },
  },
];
