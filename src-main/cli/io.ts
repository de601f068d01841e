import { readFileSync } from 'node:fs';
import { secretLines } from '../platform/secret-text';

/** Reads all of standard input (a secret is never taken from argv, which `ps` shows to other users). */
export async function readStdin(limitBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > limitBytes) throw new Error(`standard input is larger than ${limitBytes} bytes`);
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Asks on the terminal without echoing what is typed. */
export async function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  const out = process.stderr;
  if (!stdin.isTTY) throw new Error('no terminal to ask on');
  out.write(question);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let answer = '';
    const onData = (s: string) => {
      for (const ch of s) {
        if (ch === '\r' || ch === '\n') {
          done();
          resolve(answer);
          return;
        }
        if (ch === '\u0003') {
          done();
          reject(new Error('cancelled'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') answer = answer.slice(0, -1);
        else answer += ch;
      }
    };
    const done = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      out.write('\n');
    };
    stdin.on('data', onData);
  });
}

/**
 * A passphrase file: its first line after the shared normalisation (BOM,
 * CRLF and the trailing line end removed), so a file saved on Windows unlocks
 * the same vault as one saved on Linux or macOS.
 */
export function readPassphraseFile(file: string): string {
  return secretLines(readFileSync(file, 'utf8'))[0] ?? '';
}

/** Asks on the terminal and returns the typed line (echoed: for confirmations, never for secrets). */
export async function promptLine(question: string): Promise<string> {
  if (!process.stdin.isTTY) throw new Error('no terminal to ask on');
  // Loaded here, not at start-up: only a question on a terminal needs it (issue 11).
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  try {
    return await new Promise<string>((resolve) => rl.question(question, resolve));
  } finally {
    rl.close();
  }
}
