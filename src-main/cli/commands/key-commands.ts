import { VaultError } from '../../../src-shared/errors';
import type { CommandSpec } from '../args';
import type { Context } from '../context';
import { promptHidden, readPassphraseFile } from '../io';
import { SESSION_ENV } from '../../vault/sessions';
import type { Vault } from '../../vault/vault';

/**
 * Where the vault key is kept (issue 12): a new master passphrase, or a move
 * between the OS keychain and a passphrase. Both re-wrap the vault key only
 * (KeyRewrap); a wrong current passphrase or an unreachable keychain changes
 * nothing. The current passphrase comes from --passphrase-file (or
 * TOKENVAULT_PASSPHRASE_FILE) or the terminal; the new one from
 * --new-passphrase-file or the terminal, asked twice.
 */

/** The unlocked vault and, for a passphrase vault, its current passphrase (asked even inside a `tokenvault unlock` session). */
async function unlockForKeyChange(ctx: Context): Promise<{ vault: Vault; current?: string }> {
  const vault = ctx.open();
  const status = vault.status();
  if (status.state === 'uninitialized') throw new VaultError('NOT_INITIALIZED', 'There is no vault here yet. Create one with: tokenvault init');
  if (status.keySource !== 'passphrase') return { vault: await ctx.unlocked() };
  const current = await ctx.passphrase(false);
  if (!vault.isUnlocked && !process.env[SESSION_ENV]) await vault.unlock({ passphrase: current });
  else await ctx.unlocked();
  return { vault, current };
}

async function newPassphrase(ctx: Context): Promise<string> {
  const file = ctx.values['new-passphrase-file'] as string | undefined;
  if (file) {
    try {
      return readPassphraseFile(file);
    } catch (e) {
      throw new VaultError('USAGE', `Cannot read the new passphrase file ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}.`);
    }
  }
  if (!process.stdin.isTTY) throw new VaultError('USAGE', 'Pass --new-passphrase-file FILE when not on a terminal.');
  const first = await promptHidden('New master passphrase: ');
  const again = await promptHidden('Repeat it: ');
  if (again !== first) throw new VaultError('VALIDATION', 'The two passphrases differ; nothing was changed.');
  return first;
}

const NEW_FILE = { 'new-passphrase-file': { type: 'string', valueName: 'FILE', description: 'read the new master passphrase from FILE' } } as const;

export const keyCommands: (CommandSpec & { run(ctx: Context): Promise<void> })[] = [
  {
    words: ['passphrase', 'change'],
    usage: 'passphrase change [--new-passphrase-file FILE]',
    summary: 'Change the master passphrase (asks the current one, then the new one twice); records are not re-encrypted',
    options: { ...NEW_FILE },
    positionals: [0, 0],
    async run(ctx) {
      const vault = ctx.open();
      if (vault.status().keySource === 'keychain') {
        throw new VaultError('USAGE', 'This vault keeps its key in the OS keychain, not behind a passphrase. To use one: tokenvault key-source passphrase');
      }
      const { current } = await unlockForKeyChange(ctx);
      const passphrase = await newPassphrase(ctx);
      const status = await vault.changeKeySource({ keySource: 'passphrase', passphrase, ...(current ? { currentPassphrase: current } : {}) });
      ctx.out.result(status, 'Master passphrase changed. The old one no longer opens the vault.');
    },
  },
  {
    words: ['key-source'],
    usage: 'key-source keychain|passphrase [--new-passphrase-file FILE]',
    summary: 'Move the vault key to the OS keychain or behind a master passphrase',
    options: { ...NEW_FILE },
    positionals: [1, 1],
    async run(ctx) {
      const target = ctx.positionals[0];
      if (target !== 'keychain' && target !== 'passphrase') throw new VaultError('USAGE', 'Say where the key goes: tokenvault key-source keychain, or tokenvault key-source passphrase.');
      const { vault, current } = await unlockForKeyChange(ctx);
      const extra = current ? { currentPassphrase: current } : {};
      const status =
        target === 'passphrase'
          ? await vault.changeKeySource({ keySource: 'passphrase', passphrase: await newPassphrase(ctx), ...extra })
          : await vault.changeKeySource({ keySource: 'keychain', ...extra });
      ctx.out.result(status, target === 'keychain' ? 'The vault key is now in the OS keychain; no passphrase is needed to unlock.' : 'The vault key is now behind your master passphrase, and removed from the OS keychain.');
    },
  },
];
