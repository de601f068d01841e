import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { VaultError } from '../../../src-shared/errors';
import { quotePosix } from '../../../src-shared/domain/env-vars';
import { runLeakScan, type ScanMode, type ScanReport } from '../../services/leak-scan/leak-scan';
import { MAX_SCAN_BYTES } from '../../services/leak-scan/scanner';
import type { CommandSpec } from '../args';
import type { Context } from '../context';
import { safe, plural } from '../format';

const HOOK_MARK = '# Installed by `tokenvault scan --install-hook`';

function human(r: ScanReport): string {
  const lines = r.findings.map((f) => {
    const where = f.commit ? `${f.commit.slice(0, 12)}:${safe(f.path)}` : f.staged ? `(staged) ${safe(f.path)}` : safe(f.path);
    const t = f.token;
    return `${where}:${f.line}:${f.column}  ${safe(t.workspace)}/${safe(t.environment)}/${safe(t.name)}${t.part === 'refresh' ? ' (refresh token)' : ''}  ${t.fingerprint}`;
  });
  const mb = (r.scanned.bytes / 1e6).toFixed(1);
  const skipped = [
    r.skipped.binary ? `${r.skipped.binary} binary` : '',
    r.skipped.huge ? `${r.skipped.huge} over ${MAX_SCAN_BYTES / 1024 / 1024} MiB` : '',
    r.skipped.unreadable ? `${r.skipped.unreadable} unreadable` : '',
  ].filter(Boolean);
  lines.push(
    `${r.findings.length === 0 ? 'No stored token found' : `${r.findings.length} stored token${r.findings.length === 1 ? '' : 's'} found`} in ${r.scanned.files} file${r.scanned.files === 1 ? '' : 's'} (${mb} MB, ${r.tokensSearched} values looked for)${skipped.length ? `; skipped: ${skipped.join(', ')}` : ''}.`,
  );
  if (r.unreadableTokens.length) lines.push(`warning: ${plural(r.unreadableTokens.length, 'stored token')} could not be read (CORRUPT) and were not looked for: ${r.unreadableTokens.join(', ')}`);
  return lines.join('\n');
}

/** Writes the pre-commit hook into the repository's hooks folder (core.hooksPath respected). */
function installHook(repo: string): string {
  let hooks: string;
  try {
    hooks = execFileSync('git', ['-C', repo, 'rev-parse', '--path-format=absolute', '--git-path', 'hooks'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    throw new VaultError('USAGE', `${repo} is not a git repository (or git is not installed).`);
  }
  const file = join(hooks, 'pre-commit');
  if (existsSync(file) && !readFileSync(file, 'utf8').includes(HOOK_MARK)) {
    throw new VaultError('CONFLICT', `${file} already exists and is not Tokenvault's: add the line \`tokenvault scan --staged || exit 1\` to it yourself.`);
  }
  // The same Node and CLI that installed it: a hook runs with a minimal PATH.
  const cli = resolve(process.argv[1] ?? 'tokenvault');
  const text = [
    '#!/bin/sh',
    HOOK_MARK,
    '# Refuses a commit whose staged files hold a value stored in your Tokenvault.',
    '# A passphrase vault needs TOKENVAULT_PASSPHRASE_FILE (or an unlock session) here.',
    `exec ${quotePosix(process.execPath)} ${quotePosix(cli)} scan --staged`,
    '',
  ].join('\n');
  mkdirSync(hooks, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o755 });
  chmodSync(tmp, 0o755);
  renameSync(tmp, file);
  return file;
}

export const scanCommands: (CommandSpec & { run(ctx: Context): Promise<void> })[] = [
  {
    words: ['scan'],
    usage: 'scan PATH... [--git-history] [--staged] [--no-ignore] [--json] | scan --install-hook [REPO]',
    summary: 'Look for stored token values in files, a git history or the staged files (exit 1 when any is found)',
    options: { 'git-history': { type: 'boolean' }, staged: { type: 'boolean' }, 'no-ignore': { type: 'boolean' }, 'install-hook': { type: 'boolean' } },
    positionals: [0, Number.MAX_SAFE_INTEGER],
    async run(ctx) {
      const v = ctx.values;
      const paths = ctx.positionals.length ? ctx.positionals : ['.'];
      if (v['install-hook']) {
        if (paths.length > 1) throw new VaultError('USAGE', 'scan --install-hook takes one repository folder.');
        const file = installHook(paths[0]!);
        ctx.out.result({ installed: file }, `Installed ${file}: each commit is checked with tokenvault scan --staged.`);
        return;
      }
      if (v['git-history'] && v.staged) throw new VaultError('USAGE', 'Give --git-history or --staged, not both.');
      if ((v['git-history'] || v.staged) && paths.length > 1) throw new VaultError('USAGE', '--git-history and --staged take one repository folder.');
      const mode: ScanMode = v['git-history']
        ? { kind: 'history', repo: paths[0]! }
        : v.staged
          ? { kind: 'staged', repo: paths[0]! }
          : { kind: 'paths', paths, noIgnore: v['no-ignore'] === true };
      const vault = await ctx.unlocked();
      const report = await runLeakScan(vault, mode);
      ctx.out.result(report, () => human(report));
      process.exitCode = report.findings.length > 0 ? 1 : 0;
    },
  },
];
