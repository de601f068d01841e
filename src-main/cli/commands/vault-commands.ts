import { VaultError } from '../../../src-shared/errors';
import type { CommandSpec } from '../args';
import type { Context } from '../context';
import { date, safe, table } from '../format';
import { resolveRef } from './token-commands';

export const vaultCommands: (CommandSpec & { run(ctx: Context): Promise<void> })[] = [
  {
    words: ['init'],
    usage: 'init [--passphrase] [--passphrase-file FILE]',
    summary: 'Create a vault: key in the OS keychain, or --passphrase for a master passphrase',
    options: { passphrase: { type: 'boolean' } },
    positionals: [0, 0],
    async run(ctx) {
      const vault = ctx.open();
      if (vault.status().state !== 'uninitialized') {
        throw new VaultError('ALREADY_INITIALIZED', `A vault already exists in ${vault.file}.`);
      }
      const usePassphrase = ctx.values.passphrase === true;
      const status = await vault.init(
        usePassphrase ? { keySource: 'passphrase', passphrase: await ctx.passphrase(true) } : { keySource: 'keychain' },
      );
      ctx.out.result({ ...status, file: vault.file }, `Created vault ${status.vaultId} in ${vault.file} (key in ${usePassphrase ? 'a master passphrase' : 'the OS keychain'}).`);
    },
  },
  {
    words: ['status'],
    usage: 'status',
    summary: 'Show whether a vault exists and where its key lives',
    options: {},
    positionals: [0, 0],
    async run(ctx) {
      const vault = ctx.open();
      const s = vault.status();
      ctx.out.result({ ...s, file: vault.file }, s.state === 'uninitialized' ? `No vault in ${vault.file}. Create one with: tokenvault init` : `Vault ${s.vaultId} in ${vault.file}, key in ${s.keySource === 'keychain' ? 'the OS keychain' : 'a master passphrase'}.`);
    },
  },
  {
    words: ['audit'],
    usage: 'audit [--verify] [--limit N] [--token REF]',
    summary: 'Show the audit log, or verify its chain with --verify (exit 1 when broken)',
    options: { verify: { type: 'boolean' }, limit: { type: 'string', valueName: 'N' }, token: { type: 'string', valueName: 'REF' } },
    positionals: [0, 0],
    async run(ctx) {
      const vault = await ctx.unlocked();
      if (ctx.values.verify) {
        const v = vault.verifyAudit();
        ctx.out.result(v, v.ok ? `Audit log intact: ${v.checked} events verified.` : `Audit log BROKEN at event ${v.firstBrokenSeq}: ${v.reason}.`);
        if (!v.ok) process.exitCode = 1;
        return;
      }
      const limit = ctx.values.limit === undefined ? 50 : Number(ctx.values.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
        throw new VaultError('VALIDATION', '--limit must be a whole number from 1 to 1000.');
      }
      const ref = ctx.values.token as string | undefined;
      const credentialId = ref === undefined ? undefined : resolveRef(vault, ref).id;
      const events = vault.listAudit({ limit, ...(credentialId ? { credentialId } : {}) });
      ctx.out.result(events, () =>
        table(
          ['SEQ', 'TIME', 'EVENT', 'TOKEN', 'NOTE'],
          events.map((e) => [String(e.seq), date(e.at), e.type, e.fingerprint ?? e.credentialId ?? '', safe(e.note ?? '')]),
        ) || 'No events.',
      );
    },
  },
];
