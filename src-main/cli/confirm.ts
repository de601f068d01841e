import { VaultError } from '../../src-shared/errors';
import type { Context } from './context';
import { safe } from './format';
import { promptLine } from './io';

/**
 * Asks before a change that loses data or lowers a guard. `expected` set: the
 * user types it (a name); else y/N. `--yes` answers for scripts; without it
 * and without a terminal the command stops (exit 2) and changes nothing.
 */
export async function confirm(ctx: Context, question: string, expected?: string): Promise<void> {
  if (ctx.values.yes === true) return;
  if (!process.stdin.isTTY) throw new VaultError('USAGE', `${question} Not on a terminal, so there is no one to ask: pass --yes to go ahead.`);
  if (expected !== undefined) {
    const typed = await promptLine(`${question} Type "${safe(expected)}" to confirm: `);
    if (typed.normalize('NFC').trim() !== expected.normalize('NFC')) throw new VaultError('VALIDATION', 'The name does not match; nothing was changed.');
    return;
  }
  const answer = await promptLine(`${question} [y/N] `);
  if (!/^y(es)?$/i.test(answer.trim())) throw new VaultError('USAGE', 'Not confirmed; nothing was changed.');
}

