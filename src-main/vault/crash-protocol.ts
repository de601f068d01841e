import { createHash } from 'node:crypto';

/**
 * What crash-writer.ts writes, computable by the parent without being told:
 * names `<prefix>-<i>`, deterministic values, and the rotation schedule.
 * Lines on the writer's stdout: `ACK add <name> <id>` / `ACK rot <name> <id>`,
 * each printed only after the write returned.
 */
export const crashName = (prefix: string, i: number) => `${prefix}-${i}`;

export function crashSecretFor(name: string, version = 1): string {
  return `tok_v${version}_${createHash('sha256').update(name).digest('base64url').slice(0, 40)}`;
}

/** After acknowledging the add of credential i, the writer rotates credential i-2 when i % 4 === 3. */
export function rotationAfterAdd(i: number): number | null {
  return i % 4 === 3 ? i - 2 : null;
}
