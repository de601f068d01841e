import { VaultError } from '../../../src-shared/errors';
import type { CommandSpec } from '../args';
import type { Context } from '../context';
import { date, safe, table } from '../format';
import { resolveRef } from './token-commands';

function parseHeaders(list: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of list ?? []) {
    const i = h.indexOf(':');
    if (i <= 0) throw new VaultError('USAGE', `--header takes NAME:VALUE (got "${h}").`);
    out[h.slice(0, i).trim()] = h.slice(i + 1).trim();
  }
  return out;
}

/** `--timeout`: `15s`, `500ms`, `1m`, or a number of seconds; between 1 ms and 10 minutes. */
export function parseTimeout(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/i.exec(text.trim());
  const ms = m ? Number(m[1]) * ({ ms: 1, s: 1000, m: 60_000 } as const)[(m[2]?.toLowerCase() ?? 's') as 'ms' | 's' | 'm'] : NaN;
  if (!Number.isFinite(ms) || ms < 1 || ms > 600_000) {
    throw new VaultError('USAGE', `--timeout takes a duration between 1ms and 10m, like 15s, 500ms or 1m (got "${text.slice(0, 40)}").`);
  }
  return Math.round(ms);
}

export const requestCommands: (CommandSpec & { run(ctx: Context): Promise<void> })[] = [
  {
    words: ['test'],
    usage: 'test REF',
    summary: "Test a token with its provider's safe preset, or send a request with it (exit 0 when ok; 1 for any other answer, a redirect away from the API, or a rate-limit hold)",
    options: {
      method: { type: 'string', valueName: 'M', description: 'HTTP method (default: the preset\'s, else GET)' },
      path: { type: 'string', valueName: 'P', description: 'path below the environment\'s base URL, with any query' },
      header: { type: 'string', multiple: true, valueName: 'K:V', field: 'headers', description: 'a request header (not Authorization: the token goes by itself)' },
      body: { type: 'string', valueName: 'JSON', description: 'a JSON request body' },
      preset: { type: 'string', valueName: 'ID', description: "one of the provider's test presets" },
      arm: { type: 'string', valueName: 'WORKSPACE', description: 'arm production for this call by typing the workspace name' },
      timeout: { type: 'string', valueName: 'DURATION', field: 'timeoutMs', description: 'give up after this long: 15s (default), 2s, 500ms, 1m' },
      force: { type: 'boolean', description: 'send even though the provider asked to wait (rate-limit hold); audited' },
    },
    positionals: [1, 1],
    unlocksFirst: true,
    async run(ctx) {
      const v = ctx.values;
      if (typeof v.body === 'string') {
        try {
          JSON.parse(v.body);
        } catch {
          throw new VaultError('VALIDATION', '--body must be JSON.', { issues: [{ path: '--body', message: 'is not valid JSON' }] });
        }
      }
      const headers = parseHeaders(v.header as string[] | undefined);
      const timeoutMs = typeof v.timeout === 'string' ? parseTimeout(v.timeout) : undefined;
      const vault = await ctx.unlocked();
      const c = resolveRef(vault, ctx.positionals[0]!);
      const { service, arming } = ctx.requests();
      if (typeof v.arm === 'string') {
        const env = vault.getEnvironment(c.environmentId);
        arming.arm(env.id, vault.getWorkspace(env.workspaceId).name, v.arm);
      }
      const r = await service.test(c.id, {
        ...(typeof v.preset === 'string' ? { presetId: v.preset } : {}),
        ...(typeof v.method === 'string' ? { method: v.method } : {}),
        ...(typeof v.path === 'string' ? { path: v.path } : {}),
        ...(Object.keys(headers).length ? { headers } : {}),
        ...(typeof v.body === 'string' ? { body: v.body } : {}),
        ...(timeoutMs !== undefined ? { timeoutMs } : {}),
        ...(v.force === true ? { force: true } : {}),
      });
      ctx.out.result(r, () => {
        const lines = [
          `${r.classification === 'ok' ? 'OK' : r.classification.toUpperCase()}  ${r.method} ${r.url}`,
          safe(r.explanation + (r.diagnosis ? ` — ${r.diagnosis.message}` : '')),
          `time ${r.timings.totalMs.toFixed(1)} ms${r.timings.firstByteMs !== null ? ` (first byte ${r.timings.firstByteMs.toFixed(1)} ms)` : ''}`,
        ];
        if (r.rateLimit) {
          const rl = r.rateLimit;
          lines.push(`rate limit: ${rl.remaining ?? '?'} of ${rl.limit ?? '?'} left${rl.retryAt ? `, retry after ${date(rl.retryAt)}` : ''}`);
        }
        if (r.redirect) {
          lines.push('redirect chain (not OK):');
          for (const h of r.redirect.chain) lines.push(`  ${h.status}  ${safe(h.url)}  ${h.credentialSent ? 'token sent' : 'token NOT sent'}`);
          if (r.redirect.notFollowed) lines.push(`  →    ${safe(r.redirect.notFollowed)}  not followed`);
        }
        for (const n of r.notes) lines.push(`note: ${safe(n)}`);
        if (r.identity) lines.push(`belongs to: ${safe([r.identity.account, r.identity.company].filter(Boolean).join(' / '))}`);
        if (r.preflight) lines.push(`documented: ${r.preflight.decision} (${safe(r.preflight.rule)})`);
        for (const w of r.warnings) lines.push(`warning: ${safe(w)}`);
        if (r.bodyPreview) lines.push('', safe(r.bodyPreview.slice(0, 2000)));
        return lines.join('\n');
      });
      process.exitCode = r.classification === 'ok' ? 0 : 1;
    },
  },
  {
    words: ['check'],
    usage: 'check REF METHOD PATH',
    summary: "Does the token's documented role or scope allow this call? (exit 0 allowed, 1 denied or unknown)",
    options: {},
    positionals: [3, 3],
    async run(ctx) {
      const vault = await ctx.unlocked();
      const c = resolveRef(vault, ctx.positionals[0]!);
      const method = ctx.positionals[1]!.toUpperCase();
      if (!/^[A-Z]{3,10}$/.test(method)) throw new VaultError('USAGE', `"${ctx.positionals[1]}" is not an HTTP method.`);
      const r = ctx.requests().service.preflight(c, method, ctx.positionals[2]!);
      if (!r) {
        ctx.out.result({ decision: 'unknown_endpoint', rule: 'This provider has no documented role or scope model.', allowedBy: [], endpoint: null }, 'This provider has no documented role or scope model: nothing to check against.');
        process.exitCode = 1;
        return;
      }
      ctx.out.result(r, () =>
        [`${r.decision.toUpperCase()}: ${safe(r.rule)}`, ...(r.decision !== 'allowed' && r.allowedBy.length ? [`allowed for: ${r.allowedBy.map(safe).join(', ')}`] : [])].join('\n'),
      );
      process.exitCode = r.decision === 'allowed' ? 0 : 1;
    },
  },
  {
    words: ['probe'],
    usage: 'probe REF [--confirm-env NAME] [--resume] [--content-type T]...',
    summary: 'Call every documented endpoint with the token and compare with the documents (exit 1 on any mismatch)',
    options: { 'confirm-env': { type: 'string', valueName: 'NAME' }, resume: { type: 'boolean' }, 'content-type': { type: 'string', multiple: true, valueName: 'T' } },
    positionals: [1, 1],
    async run(ctx) {
      const vault = await ctx.unlocked();
      const c = resolveRef(vault, ctx.positionals[0]!);
      const { ProbeService } = await import('../../services/probe-service');
      const { EventBus } = await import('../../services/event-bus');
      const events = new EventBus();
      const probes = new ProbeService(vault, ctx.requests().service, events);
      events.subscribe((name, p) => {
        if (name === 'probes:progress') {
          const e = p as { done: number; total: number; method: string; path: string; observed: string };
          ctx.out.info(`[${e.done}/${e.total}] ${e.method} ${e.path}: ${e.observed}`);
        }
      });
      const contentTypes = ctx.values['content-type'] as string[] | undefined;
      const report = await probes.start(c.id, {
        ...(typeof ctx.values['confirm-env'] === 'string' ? { confirmEnvironment: ctx.values['confirm-env'] } : {}),
        ...(ctx.values.resume ? { resume: true } : {}),
        ...(contentTypes ? { contentTypes } : {}),
      }).done;
      const mismatches = report.cells.filter((x) => x.mismatch).length;
      ctx.out.result(report, () =>
        [
          table(
            ['METHOD', 'ENDPOINT', 'DOCUMENTED', 'OBSERVED', 'STATUS', ''],
            report.cells.map((x) => [x.method, x.endpoint, x.documented, x.observed ?? '—', x.status === null ? '' : String(x.status), x.mismatch ? 'MISMATCH' : '']),
          ),
          ...report.notes.map((n) => `note: ${n}`),
          `${mismatches} mismatch${mismatches === 1 ? '' : 'es'} between the documents and the API.`,
        ].join('\n'),
      );
      process.exitCode = mismatches === 0 && report.complete ? 0 : 1;
    },
  },
  {
    words: ['provider', 'list'],
    usage: 'provider list',
    summary: 'List providers (built-in and your own)',
    options: {},
    positionals: [0, 0],
    async run(ctx) {
      const list = ctx.providers().list();
      ctx.out.result(
        list.map((p) => ({ id: p.definition.id, name: p.definition.name, source: p.source, auth: p.definition.auth.map((a) => a.scheme) })),
        () => table(['ID', 'NAME', 'SOURCE', 'AUTH'], list.map((p) => [p.definition.id, safe(p.definition.name), p.source, p.definition.auth.map((a) => a.scheme).join(', ')])),
      );
      for (const e of ctx.providers().loadErrors) ctx.out.info(`warning: providers/${e.file} was not loaded: ${e.message}`);
    },
  },
  {
    words: ['provider', 'add'],
    usage: 'provider add FILE',
    summary: 'Add your own provider definition from a JSON file (validated; each error named with its path)',
    options: {},
    positionals: [1, 1],
    async run(ctx) {
      const { readFileSync } = await import('node:fs');
      let text: string;
      try {
        text = readFileSync(ctx.positionals[0]!, 'utf8');
      } catch (e) {
        throw new VaultError('USAGE', `Cannot read ${ctx.positionals[0]}: ${(e as NodeJS.ErrnoException).code ?? 'error'}.`);
      }
      const def = ctx.providers().add(text);
      ctx.out.result({ id: def.id, name: def.name, source: 'user' }, `Added provider ${def.id} (${safe(def.name)}).`);
    },
  },
];
