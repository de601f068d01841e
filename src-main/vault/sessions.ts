import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writePrivateFile } from '../platform/write-private-file';
import { VaultError } from '../../src-shared/errors';
import type { Db } from './db';
import { open, seal, type Random } from './cipher';

/** `tokenvault unlock` without --for. */
export const DEFAULT_SESSION_MS = 15 * 60_000;
/** The longest a session may last: a working day. */
export const MAX_SESSION_MS = 12 * 3_600_000;
/** The environment variable that carries a session to later commands. */
export const SESSION_ENV = 'TOKENVAULT_SESSION';

const TOKEN_PREFIX = 'tvs1';
const ID_RE = /^[0-9a-f]{32}$/;
const KEY_RE = /^[A-Za-z0-9_-]{43}$/;

interface SessionFile {
  v: 2;
  vaultId: string;
  id: string;
  createdAt: number;
  expiresAt: number;
  /** `vault_meta.sessions_generation` when the session began; it opens only while that is still current. */
  generation: number;
  /** The vault key sealed under the session key (AES-256-GCM; id, vault, expiry and generation in the additional data). */
  wrapped: string;
}

export interface CreatedSession {
  /** What goes into TOKENVAULT_SESSION: `tvs1.<id>.<key>`. The key exists nowhere else. */
  token: string;
  id: string;
  expiresAt: number;
}

/**
 * CLI unlock sessions. A session is a random 256-bit key that only the user's
 * environment holds (TOKENVAULT_SESSION) and an owner-only file beside the
 * vault with a copy of the vault key sealed under it. The file alone opens
 * nothing; the variable alone finds nothing once the file is gone. The
 * expiry is inside the sealed box's additional data, so editing it in the
 * file makes the box fail (CORRUPT) rather than extend the session.
 *
 * Ending sessions (`tokenvault lock`, and the app's lock unless the user
 * keeps them: setting `keepCliSessionsOnLock`) is recorded in the vault:
 * `vault_meta.sessions_generation` goes up by one, and a session opens only
 * while the generation sealed into its box (additional data, so it cannot be
 * edited) is the current one. The files are deleted too, but a copy put back
 * afterwards opens nothing (LOCKED, details.session = 'revoked').
 */
export class SessionStore {
  readonly dir: string;

  constructor(
    home: string,
    private readonly now: () => number,
    private readonly random: Random,
    private readonly db: Db,
  ) {
    this.dir = join(home, 'sessions');
  }

  /** The current sessions generation (0 before any session was ended, or before the vault exists). */
  private generation(): number {
    const row = this.db.prepare('SELECT sessions_generation AS g FROM vault_meta WHERE id = 1').get() as { g: number } | undefined;
    return row?.g ?? 0;
  }

  /** Seals a copy of `vaultKey` under a fresh session key, valid for `ttlMs` (1 min to 12 h) from now. */
  create(vaultId: string, vaultKey: Buffer, ttlMs: number): CreatedSession {
    if (!Number.isInteger(ttlMs) || ttlMs < 60_000 || ttlMs > MAX_SESSION_MS) {
      throw new VaultError('VALIDATION', 'A session lasts from 1 minute to 12 hours (for example --for 15m or --for 8h).', {
        issues: [{ path: 'for', message: 'must be from 1m to 12h' }],
      });
    }
    const id = this.random(16).toString('hex');
    const key = this.random(32);
    try {
      const createdAt = this.now();
      const expiresAt = createdAt + ttlMs;
      const generation = this.generation();
      const file: SessionFile = {
        v: 2,
        vaultId,
        id,
        createdAt,
        expiresAt,
        generation,
        wrapped: seal(key, vaultKey, location(vaultId, id, expiresAt, generation), this.random).toString('base64'),
      };
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      // mkdir's mode applies only to a folder it creates: tighten one that was already there.
      chmodSync(this.dir, 0o700);
      writePrivateFile(this.path(id), JSON.stringify(file));
      return { token: `${TOKEN_PREFIX}.${id}.${key.toString('base64url')}`, id, expiresAt };
    } finally {
      key.fill(0);
    }
  }

  /**
   * The vault key a session token opens. LOCKED when the session ended
   * (expired, `tokenvault lock`, the app's lock; also when its file was
   * copied aside before a lock and put back: details.session = 'revoked') or
   * belongs to another vault; USAGE for a malformed variable; CORRUPT when
   * the file was changed.
   */
  open(token: string, vaultId: string): { vaultKey: Buffer; id: string; expiresAt: number } {
    const parts = token.trim().split('.');
    if (parts.length !== 3 || parts[0] !== TOKEN_PREFIX || !ID_RE.test(parts[1]!) || !KEY_RE.test(parts[2]!)) {
      throw new VaultError('USAGE', `${SESSION_ENV} does not hold a Tokenvault session. Run: eval "$(tokenvault unlock)"`);
    }
    const id = parts[1]!;
    let text: string;
    try {
      text = readFileSync(this.path(id), 'utf8');
    } catch {
      throw ended('This session has ended (it expired, or the vault was locked).');
    }
    let file: SessionFile;
    try {
      file = JSON.parse(text) as SessionFile;
    } catch {
      throw damaged(id);
    }
    // A version-1 file predates the generation check: it cannot prove it was not ended, so it opens nothing.
    if ((file as { v: unknown }).v === 1) throw ended('This session was started by an older Tokenvault.');
    if (
      file.v !== 2 ||
      file.id !== id ||
      typeof file.vaultId !== 'string' ||
      typeof file.expiresAt !== 'number' ||
      !Number.isSafeInteger(file.generation) ||
      typeof file.wrapped !== 'string'
    ) {
      throw damaged(id);
    }
    if (file.vaultId !== vaultId) throw ended('This session belongs to another vault.');
    const key = Buffer.from(parts[2]!, 'base64url');
    let vaultKey: Buffer;
    try {
      vaultKey = open(key, Buffer.from(file.wrapped, 'base64'), location(vaultId, id, file.expiresAt, file.generation));
    } catch {
      // Either the file was changed or the variable holds another key: nothing to tell apart, both mean "not this session".
      throw damaged(id);
    } finally {
      key.fill(0);
    }
    if (file.generation !== this.generation()) {
      vaultKey.fill(0);
      this.remove(id);
      throw new VaultError(
        'LOCKED',
        'This session was ended by a lock (tokenvault lock, or the app\'s lock); a copy of its file put back afterwards does not reopen it. Start a new one with: eval "$(tokenvault unlock)"',
        { details: { session: 'revoked' } },
      );
    }
    if (file.expiresAt <= this.now()) {
      vaultKey.fill(0);
      this.remove(id);
      throw ended('This session has expired.');
    }
    return { vaultKey, id, expiresAt: file.expiresAt };
  }

  /**
   * Ends every session: raises the sessions generation in the vault first (so
   * no session file, wherever a copy of it is, opens again), then deletes the
   * files; returns how many files there were.
   */
  endAll(): number {
    this.db.transaction(() => this.db.prepare('UPDATE vault_meta SET sessions_generation = sessions_generation + 1 WHERE id = 1').run())();
    let ids: string[];
    try {
      ids = readdirSync(this.dir).filter((f) => f.endsWith('.session')).map((f) => f.slice(0, -'.session'.length));
    } catch {
      return 0;
    }
    for (const id of ids) this.remove(id);
    return ids.length;
  }

  private remove(id: string): void {
    rmSync(this.path(id), { force: true });
  }

  private path(id: string): string {
    return join(this.dir, `${id}.session`);
  }
}

function location(vaultId: string, id: string, expiresAt: number, generation: number) {
  return { table: 'cli_session', id: `${vaultId}/${id}`, column: `vault_key until ${expiresAt} generation ${generation}` };
}

function ended(why: string): VaultError {
  return new VaultError('LOCKED', `${why} Start a new one with: eval "$(tokenvault unlock)"`, { details: { session: 'ended' } });
}

function damaged(id: string): VaultError {
  return new VaultError('CORRUPT', `The session file ${id}.session was changed or does not match ${SESSION_ENV}; it cannot be used. Run: tokenvault lock, then tokenvault unlock.`, {
    details: { session: id },
  });
}
