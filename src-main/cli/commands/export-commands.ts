import { VaultError } from '../../../src-shared/errors';
import type { CommandSpec } from '../args';
import type { Context } from '../context';
import { safe, plural } from '../format';
import { promptLine } from '../io';
import { writeExport } from '../../services/export';

export const exportCommands: (CommandSpec & { run(ctx: Context): Promise<void> })[] = [
  {
    words: ['export'],
    usage: 'export WORKSPACE [FILE] [--with-secrets --yes]',
    summary: 'Export a workspace as JSON without secrets (to share a setup); --with-secrets writes values in plaintext, after confirmation',
    options: { 'with-secrets': { type: 'boolean' }, yes: { type: 'boolean' } },
    positionals: [1, 2],
    async run(ctx) {
      const [workspace, file] = ctx.positionals as [string, string | undefined];
      const withSecrets = ctx.values['with-secrets'] === true;
      if (withSecrets && !file) throw new VaultError('USAGE', 'A plaintext export goes to a file (written owner-only): tokenvault export WORKSPACE FILE --with-secrets.');
      const vault = await ctx.unlocked();
      const ws = vault.findWorkspace(workspace);
      if (withSecrets) {
        process.stderr.write(
          `WARNING: ${file} will hold every token value of ${safe(ws.name)} in PLAINTEXT. Anyone who reads the file can use them.\nShare it only over a channel you trust, delete it when done, and prefer an encrypted backup (tokenvault backup) to move a vault.\n`,
        );
        if (ctx.values.yes !== true) {
          if (!process.stdin.isTTY) throw new VaultError('USAGE', 'Not on a terminal: pass --yes to confirm a plaintext export.');
          const typed = await promptLine(`Type the workspace name (${ws.name}) to confirm: `);
          if (typed.trim() !== ws.name) throw new VaultError('CANCELLED', 'The name did not match; nothing was exported.');
        }
      }
      const r = writeExport(vault, ws.id, file ?? null, { withSecrets });
      const tokens = r.doc.environments.reduce((n, e) => n + e.tokens.length, 0);
      if (!file) {
        process.stdout.write(r.text);
        return;
      }
      ctx.out.result(
        { file, workspace: r.doc.workspace.name, environments: r.doc.environments.length, tokens, values: r.values, withSecrets },
        `Exported ${safe(r.doc.workspace.name)} (${plural(r.doc.environments.length, 'environment')}, ${plural(tokens, 'token')}${withSecrets ? `, ${plural(r.values, 'value')} in plaintext` : ', no values'}) to ${file}.`,
      );
    },
  },
];
