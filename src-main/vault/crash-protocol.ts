import { createHash } from 'node:crypto';

/**
 * What the crash writers (crash-writer.ts) tell the parent on their stdout
 * pipe, one JSON object per line:
 *
 * - `TRY {...}` before a write: the state the write will leave each touched
 *   credential in. The parent treats it as "maybe": a SIGKILL may land before
 *   or after its commit.
 * - `ACK {...}` after the write returned (committed): the same states, now
 *   promised. An acknowledged state must be in the vault after any kill.
 *
 * Each writer names its credentials `<prefix>-<n>` with a prefix of its own,
 * so the states of different writers never overlap.
 */
export type CrashOp = 'add' | 'import' | 'edit' | 'rotate' | 'revoke';

/** One credential as a write leaves it: everything the parent checks after the kill. */
export interface CrashState {
  name: string;
  /** Unknown before an add commits: null in its TRY line. */
  id: string | null;
  description: string;
  value: string;
  status: 'active' | 'revoked';
}

export interface CrashLine {
  seq: number;
  op: CrashOp;
  creds: CrashState[];
}

export const crashName = (prefix: string, i: number) => `${prefix}-${i}`;

/** A distinct, recognisable value per name and version. */
export function crashSecretFor(name: string, version = 1): string {
  return `tok_v${version}_${createHash('sha256').update(name).digest('base64url').slice(0, 40)}`;
}

/** Parses a writer's complete output lines; a line cut by the kill is not among them. */
export function parseCrashLines(lines: readonly string[]): { kind: 'TRY' | 'ACK'; line: CrashLine }[] {
  const out: { kind: 'TRY' | 'ACK'; line: CrashLine }[] = [];
  for (const l of lines) {
    const m = /^(TRY|ACK) (\{.*\})$/.exec(l);
    if (m) out.push({ kind: m[1] as 'TRY' | 'ACK', line: JSON.parse(m[2]!) as CrashLine });
  }
  return out;
}
