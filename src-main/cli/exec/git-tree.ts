import { existsSync, fstatSync, readlinkSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * The git work tree a path lies in (the folder holding `.git`, a directory or,
 * for a linked worktree or submodule, a file), or null. Found by walking up
 * the folders: no git needed, and a bare repository has no work tree to leak into.
 */
export function gitWorkTreeOf(path: string): string | null {
  let dir = resolve(path);
  for (;;) {
    if (existsSync(resolve(dir, '.git'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/**
 * Where standard output goes when it is a regular file (a shell redirect
 * `> .env`): `{ path }` on Linux (from /proc/self/fd/1), `{ path: null }` where
 * the system does not say, null when stdout is no regular file (a terminal, a
 * pipe). Checked with fstat on descriptor 1.
 */
export function stdoutFile(): { path: string | null } | null {
  let isFile: boolean;
  try {
    isFile = fstatSync(1).isFile();
  } catch {
    return null;
  }
  if (!isFile) return null;
  try {
    return { path: readlinkSync('/proc/self/fd/1') };
  } catch {
    return { path: null };
  }
}
