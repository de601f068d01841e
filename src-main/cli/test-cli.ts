import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** Whatever the CLI printed as JSON; each test asserts the shape it needs. */
export type Json = ReturnType<typeof JSON.parse>;

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  json: () => Json;
}

export const CLI = join(__dirname, '..', '..', 'bin', 'tokenvault.cjs');

/**
 * Runs the built CLI as a child process, asynchronously: the emulators a test
 * starts answer from the test's own process, which a synchronous spawn would block.
 */
export function runCli(args: string[], env: Record<string, string>, input = ''): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    // 'close', not 'exit': under load the last of stdout can still be in the pipe when the process has exited.
    child.on('close', (code) => resolve({ code, stdout, stderr, json: () => JSON.parse(stdout) }));
    child.stdin.end(input);
  });
}
