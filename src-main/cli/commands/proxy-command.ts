import { VaultError } from '../../../src-shared/errors';
import { CredentialProxy, PROXY_SECRET_HEADER } from '../../services/credential-proxy';
import type { CommandSpec } from '../args';
import type { Context } from '../context';
import { safe } from '../format';
import { resolveRef } from './token-commands';

export const proxyCommands: (CommandSpec & { run(ctx: Context): Promise<void> })[] = [
  {
    words: ['proxy'],
    usage: 'proxy WORKSPACE/ENV/NAME [--port P] [--no-check] [--arm WORKSPACE]',
    summary: 'Serve the token on 127.0.0.1: requests are passed to its API with the credential attached, the client never holds it',
    options: { port: { type: 'string' }, 'no-check': { type: 'boolean' }, arm: { type: 'string' } },
    positionals: [1, 1],
    async run(ctx) {
      const portText = (ctx.values.port as string | undefined) ?? '0';
      const port = Number(portText);
      if (!/^\d{1,5}$/.test(portText) || port > 65535) throw new VaultError('USAGE', `--port takes a port number from 0 (any free one) to 65535 (got "${portText}").`);
      const vault = await ctx.unlocked();
      const c = resolveRef(vault, ctx.positionals[0]!);
      const env = vault.getEnvironment(c.environmentId);
      const ws = vault.getWorkspace(c.workspaceId);
      const { service, arming } = ctx.requests();
      if (typeof ctx.values.arm === 'string') arming.arm(env.id, ws.name, ctx.values.arm);
      const proxy = new CredentialProxy({
        vault,
        service,
        credentialId: c.id,
        check: ctx.values['no-check'] !== true,
        ...(port ? { port } : {}),
        onCall: (call) => {
          process.stderr.write(`${call.method} ${safe(call.path)} → ${call.status}${call.refused ? ` (refused: ${call.refused})` : ''}\n`);
        },
      });
      let listening: { url: string; port: number };
      try {
        listening = await proxy.listen();
      } catch (e) {
        throw new VaultError('USAGE', `Cannot listen on 127.0.0.1:${port}: ${(e as NodeJS.ErrnoException).code ?? 'error'}.`);
      }
      vault.recordEvent({ type: 'used', credentialId: c.id, fingerprint: c.fingerprint, note: `proxy on 127.0.0.1:${listening.port}` });
      const where = `${safe(ws.name)}/${safe(env.name)}/${safe(c.name)}`;
      ctx.out.result(
        { url: listening.url, port: listening.port, secretHeader: 'X-Tokenvault-Proxy-Secret', secret: proxy.secret, credentialId: c.id, fingerprint: c.fingerprint, upstream: env.baseUrl },
        [
          `Proxy for ${where} (${c.fingerprint}) → ${safe(env.baseUrl)}${env.production ? '  [PRODUCTION: writes refused unless armed with --arm]' : ''}`,
          `URL     ${listening.url}`,
          `Secret  ${proxy.secret}`,
          `        (shown once; send it in every request as the ${PROXY_SECRET_HEADER.replace(/(^|-)([a-z])/g, (_, d: string, ch: string) => d + ch.toUpperCase())} header)`,
          `Example curl -H 'X-Tokenvault-Proxy-Secret: ${proxy.secret}' ${listening.url}/`,
          'Ctrl-C stops it.',
        ].join('\n'),
      );
      // Runs until told to stop; then closes the port and locks the vault (main's finally).
      await new Promise<void>((resolve) => {
        const stop = () => {
          for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.off(sig, stop);
          void proxy.close().then(resolve);
        };
        for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, stop);
      });
      ctx.out.info('Proxy stopped.');
    },
  },
];
