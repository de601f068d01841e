import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { maskingTransform } from './stream-masker';

export const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'] as const;

export interface ChildOutcome {
  /** The child's exit code, or null when a signal ended it. */
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * Runs COMMAND with its own environment and waits for it.
 *
 * - Standard streams are inherited as they are (a terminal stays a terminal),
 *   except with `mask`: stdout and stderr then go through a StreamMasker.
 * - SIGINT, SIGTERM, SIGHUP (and SIGQUIT, SIGUSR1/2) sent to tokenvault are
 *   passed to the child, and tokenvault itself waits for the child to end.
 *   Ctrl-C and Ctrl-\ on a terminal already reach the child (same process
 *   group), so while stdin is a terminal SIGINT and SIGQUIT are not sent a
 *   second time.
 * - A command that cannot be started (not found, not executable) is code 127
 *   or 126, as in a POSIX shell.
 */
export function runChild(command: string, args: string[], env: NodeJS.ProcessEnv, opts: { mask: readonly string[] | null }): Promise<ChildOutcome> {
  return new Promise((resolve) => {
    const terminal = process.stdin.isTTY === true;
    // The handlers are in place before the child exists. Installed after
    // spawn(), a signal sent as soon as the command is up (a supervisor's
    // SIGTERM right after its first line) could come before them, take the
    // default action and end tokenvault alone, leaving the command running
    // on our stdout (seen under load). A signal that arrives now is queued by
    // Node and handled on the event loop, when the child already exists.
    const spawned: { child?: ChildProcess } = {};
    const handlers = new Map<NodeJS.Signals, () => void>();
    for (const sig of FORWARDED_SIGNALS) {
      const h = () => {
        if (terminal && (sig === 'SIGINT' || sig === 'SIGQUIT')) return;
        const c = spawned.child;
        if (c && c.exitCode === null && c.signalCode === null) c.kill(sig);
      };
      handlers.set(sig, h);
      process.on(sig, h);
    }
    const detach = () => {
      for (const [sig, h] of handlers) process.off(sig, h);
    };
    let child: ChildProcess;
    try {
      child = spawn(command, args, {
        env,
        stdio: opts.mask ? ['inherit', 'pipe', 'pipe'] : 'inherit',
      });
    } catch (e) {
      // Refused before anything ran (an argument with a NUL byte): signals are tokenvault's own again.
      detach();
      throw e;
    }
    spawned.child = child;

    let pending = opts.mask ? 2 : 0;
    let outcome: ChildOutcome | null = null;
    const finish = () => {
      if (outcome && pending === 0) {
        detach();
        resolve(outcome);
      }
    };
    if (opts.mask) {
      for (const [from, to] of [
        [child.stdout!, process.stdout],
        [child.stderr!, process.stderr],
      ] as const) {
        const t = maskingTransform(opts.mask);
        from.pipe(t);
        t.on('data', (b: Buffer) => {
          // Backpressure: a slow terminal slows the child down instead of filling memory.
          if (!to.write(b)) {
            t.pause();
            to.once('drain', () => t.resume());
          }
        });
        t.on('end', () => {
          pending--;
          finish();
        });
      }
    }
    child.on('error', (e: NodeJS.ErrnoException) => {
      // spawn failed: nothing ran, no stream will end.
      pending = 0;
      outcome = { code: e.code === 'ENOENT' ? 127 : 126, signal: null };
      finish();
    });
    child.on('exit', (code, signal) => {
      outcome = { code, signal };
      finish();
    });
  });
}

/**
 * Ends tokenvault the way the child ended: the same exit code, or killed by
 * the same signal — re-raised on ourselves so that a shell sees "killed by
 * SIGTERM" (and `$?` is 128+n). Where the signal does not end us (it is
 * ignored in this process), we exit with 128+n instead.
 */
export function exitLikeChild(outcome: ChildOutcome): number {
  if (outcome.signal) {
    const n = constants.signals[outcome.signal] ?? 1;
    for (const sig of FORWARDED_SIGNALS) process.removeAllListeners(sig);
    process.kill(process.pid, outcome.signal);
    // If we are still here the signal was ignored: a shell's convention instead.
    return 128 + n;
  }
  return outcome.code ?? 1;
}
