import { VaultError, toErrorPayload, type ErrorCode } from '../../src-shared/errors';
import { resolveHome } from '../platform/home';
import { OsKeyStore, type KeychainPrefetch } from '../vault/keychain';
import { Vault } from '../vault/vault';
import { Arming } from '../services/arming';
import { Catalog } from '../services/catalog';
import { ProviderRegistry } from '../services/provider-registry';
import { RequestService } from '../services/request-service';
import { RevocationService } from '../services/revocation';
import { TokenSync } from '../services/token-sync';
import { SESSION_ENV } from '../vault/sessions';
import { promptHidden, readPassphraseFile } from './io';
import { jsonText, safe, useSettingsTimeZone } from './format';
import { writeKeyHint } from './key-prefetch';

export interface Output {
  json: boolean;
  /** Machine output: JSON with --json, else the human text. */
  result(json: unknown, human: string | (() => string)): void;
  info(line: string): void;
}

export function makeOutput(json: boolean): Output {
  return {
    json,
    result(value, human) {
      if (json) process.stdout.write(`${jsonText(value)}\n`);
      else {
        const text = typeof human === 'function' ? human() : human;
        if (text) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
      }
    },
    info(line) {
      if (!json) process.stderr.write(`${line}\n`);
    },
  };
}

export interface Context {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  out: Output;
  /** The vault, opened (not unlocked). */
  open(): Vault;
  /**
   * The vault, opened and unlocked: with the session in TOKENVAULT_SESSION
   * when set, else keychain by itself, passphrase from a file or the terminal.
   */
  unlocked(): Promise<Vault>;
  /** Unlocks only if that needs no question (a live session, or the keychain); true when unlocked. */
  unlockedQuietly(): Promise<boolean>;
  passphrase(confirm: boolean): Promise<string>;
  /** Providers and the services that need them, built on first use. */
  providers(): ProviderRegistry;
  catalog(): Catalog;
  requests(): { service: RequestService; arming: Arming };
  /** Revoke, regenerate and sync, over the same request service. */
  revocation(): { revocation: RevocationService; sync: TokenSync };
  close(): void;
}

/**
 * What the launcher did before loading a command that unlocks first (issue 11):
 * the data directory it looked in, and the keychain read it started there from
 * the hint file (null: no hint it trusts). The context uses the read only for
 * that directory, and keeps the hint up to date after it unlocks.
 */
export interface EarlyUnlock {
  home: string;
  prefetch: KeychainPrefetch | null;
  /**
   * The launcher ends the process as soon as the command is done, so closing
   * leaves the database to the exit (Vault.close's `processExits`).
   */
  processExits?: boolean;
}

/**
 * @param command the command's words (`token reveal`): names this process to others waiting for the vault, never its arguments.
 * @param early see EarlyUnlock; absent for commands the launcher did nothing for.
 */
export function makeContext(values: Context['values'], positionals: string[], command = '', early?: EarlyUnlock): Context {
  const out = makeOutput(values.json === true);
  let vault: Vault | null = null;
  let registry: ProviderRegistry | null = null;
  let requests: { service: RequestService; arming: Arming } | null = null;
  const home = () => resolveHome(values.home as string | undefined);
  const ctx: Context = {
    values,
    positionals,
    out,
    open() {
      if (!vault) {
        const prefetch = early && early.home === home() ? early.prefetch : null;
        vault = Vault.open({ home: home(), keyStore: new OsKeyStore(prefetch), lifecycle: 'cli', processLabel: `tokenvault ${command}`.trim() });
        // Human dates in the zone the user chose in Settings (readable while locked), else TZ;
        // read when the first date is printed, while the vault is open (run.ts closes it after the command).
        const opened = vault;
        useSettingsTimeZone(() => opened.getSettings().timeZone);
      }
      return vault;
    },
    providers() {
      registry ??= new ProviderRegistry(home());
      return registry;
    },
    catalog() {
      return new Catalog(ctx.open(), ctx.providers());
    },
    requests() {
      if (!requests) {
        const arming = new Arming();
        requests = { service: new RequestService(ctx.open(), ctx.providers(), arming), arming };
      }
      return requests;
    },
    revocation() {
      const { service } = ctx.requests();
      return { revocation: new RevocationService(ctx.open(), service), sync: new TokenSync(ctx.open(), service, ctx.catalog()) };
    },
    async unlocked() {
      const v = ctx.open();
      const status = v.status();
      if (status.state === 'uninitialized') {
        throw new VaultError('NOT_INITIALIZED', 'There is no vault here yet. Create one with: tokenvault init');
      }
      if (status.state === 'locked') {
        const session = process.env[SESSION_ENV];
        if (session) {
          try {
            v.unlockWithSession(session);
            return v;
          } catch (e) {
            // A keychain vault opens without a session anyway; a passphrase vault says the session ended.
            if (!(e instanceof VaultError && e.code === 'LOCKED' && status.keySource === 'keychain')) throw e;
          }
        }
        await v.unlock(status.keySource === 'passphrase' ? { passphrase: await ctx.passphrase(false) } : {});
        if (early && early.home === home()) {
          // The hint for the next process: this vault's id when its key is in the keychain; none otherwise.
          if (status.keySource === 'keychain' && early.prefetch?.hint.vaultId !== status.vaultId) writeKeyHint(early.home, status.vaultId);
          else if (status.keySource !== 'keychain' && early.prefetch) writeKeyHint(early.home, null);
        }
      }
      return v;
    },
    async unlockedQuietly() {
      const v = ctx.open();
      const status = v.status();
      if (status.state !== 'locked') return status.state === 'unlocked';
      const session = process.env[SESSION_ENV];
      try {
        if (session) v.unlockWithSession(session);
        else if (status.keySource === 'keychain') await v.unlock();
      } catch {
        // Not unlocking is fine here: the caller works locked.
      }
      return v.isUnlocked;
    },
    async passphrase(confirm) {
      const file = (values['passphrase-file'] as string | undefined) ?? process.env.TOKENVAULT_PASSPHRASE_FILE;
      if (file) {
        try {
          return readPassphraseFile(file);
        } catch (e) {
          throw new VaultError('USAGE', `Cannot read the passphrase file ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}.`);
        }
      }
      if (!process.stdin.isTTY) {
        throw new VaultError('USAGE', 'This vault needs its master passphrase: pass --passphrase-file FILE (or set TOKENVAULT_PASSPHRASE_FILE) when not on a terminal.');
      }
      const first = await promptHidden('Master passphrase: ');
      if (confirm) {
        const again = await promptHidden('Repeat it: ');
        if (again !== first) throw new VaultError('VALIDATION', 'The two passphrases differ; nothing was created.');
      }
      return first;
    },
    close() {
      vault?.close({ processExits: early?.processExits === true });
    },
  };
  return ctx;
}

/** Exit code 2 for what the user can fix in the command line; 1 for everything else. */
const USER_ERRORS = new Set<ErrorCode>(['USAGE', 'VALIDATION', 'NOT_FOUND', 'CONFLICT', 'NOT_INITIALIZED', 'ALREADY_INITIALIZED']);

export function reportError(e: unknown, json: boolean): number {
  const payload = toErrorPayload(e);
  // Messages carry names and servers' words: each line made fit for a terminal, the line breaks kept.
  process.stderr.write(`tokenvault: ${payload.message.split('\n').map(safe).join('\n')}\n`);
  if (json) process.stdout.write(`${jsonText({ error: payload })}\n`);
  if (payload.code === 'INTERNAL' && process.env.TOKENVAULT_DEBUG === '1' && e instanceof Error) {
    // Only on request: a stack can carry values from the code that threw.
    process.stderr.write(`${e.stack ?? ''}\n`);
  }
  return USER_ERRORS.has(payload.code) ? 2 : 1;
}
