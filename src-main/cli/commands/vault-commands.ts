import { VaultError } from '../../../src-shared/errors';
import type { CommandSpec } from '../args';
import type { Context } from '../context';
import { date, displayZone, safe, table, plural } from '../format';
import { resolveRef } from './token-commands';
import { AuditQuery, dayRangeBounds } from '../../../src-shared/domain/audit-query';
import { AUDIT_EVENT_TYPES } from '../../../src-shared/domain/types';
import { parseInput } from '../../vault/validate';

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
    usage: 'audit [--verify] [--limit N] [--token REF] [--type TYPE]… [--since DATE] [--until DATE]',
    summary: 'Show the audit log (filtered by token, event type, dates), or verify its chain and the vault records with --verify (exit 1 when broken)',
    options: {
      verify: { type: 'boolean' },
      limit: { type: 'string', valueName: 'N' },
      token: { type: 'string', valueName: 'REF' },
      type: { type: 'string', multiple: true, valueName: 'TYPE', description: `an event type (repeat, or comma-separate): ${AUDIT_EVENT_TYPES.join(', ')}` },
      since: { type: 'string', valueName: 'DATE', description: 'from this day (2026-11-01: its start in your time zone) or instant (ISO 8601 with a zone)' },
      until: { type: 'string', valueName: 'DATE', description: 'through this day (its end in your time zone), or up to this instant' },
    },
    positionals: [0, 0],
    async run(ctx) {
      const vault = await ctx.unlocked();
      if (ctx.values.verify) {
        const v = vault.verifyAudit();
        ctx.out.result(
          v,
          v.ok
            ? `Audit log intact: ${plural(v.checked, 'event')} verified; vault records intact.`
            : v.firstBrokenSeq === null
              ? `Vault records BROKEN: ${v.reason}. The audit log's ${plural(v.checked, 'event')} verify.`
              : `Audit log BROKEN at event ${v.firstBrokenSeq}: ${v.reason}.`,
        );
        if (!v.ok) process.exitCode = 1;
        return;
      }
      const limit = ctx.values.limit === undefined ? 50 : Number(ctx.values.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
        throw new VaultError('VALIDATION', '--limit must be a whole number from 1 to 1000.');
      }
      const ref = ctx.values.token as string | undefined;
      const credentialId = ref === undefined ? undefined : resolveRef(vault, ref).id;
      const types = ((ctx.values.type as string[] | undefined) ?? []).flatMap((t) => t.split(',')).map((t) => t.trim()).filter(Boolean);
      // Days in the zone the dates print in (the Settings zone, else TZ), as the app's audit view filters.
      const range = dayRangeBounds({ from: ctx.values.since as string | undefined, to: ctx.values.until as string | undefined }, displayZone());
      if (range === null) throw new VaultError('VALIDATION', '--since and --until take a date such as 2026-11-01 or an instant such as 2026-11-01T12:00:00Z.');
      // The same query schema as the app's audit view (audit:list).
      const query = parseInput(AuditQuery, { limit, ...(credentialId ? { credentialId } : {}), ...(types.length ? { types } : {}), ...range });
      const events = vault.listAudit(query);
      ctx.out.result(events, () =>
        table(
          ['SEQ', 'TIME', 'EVENT', 'TOKEN', 'NOTE'],
          events.map((e) => [String(e.seq), date(e.at), e.type, e.fingerprint ?? e.credentialId ?? '', safe(e.note ?? '')]),
        ) || 'No events.',
      );
    },
  },
];
