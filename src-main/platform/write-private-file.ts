import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync, chmodSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `data` to `path` owner-only (mode 0600): into a new temporary file in
 * the same folder (created 0600 with O_EXCL, so it is never readable by others,
 * not even for an instant), fsynced, then renamed over `path`. A reader sees
 * the old file or the whole new one, never half of it, and an existing file
 * with looser permissions is replaced rather than kept with its old mode.
 *
 * Throws the file system's error (ENOENT for a missing folder, EACCES, …);
 * the temporary file is removed on failure.
 */
export function writePrivateFile(path: string, data: string | Uint8Array): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    try {
      const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      let at = 0;
      while (at < buf.length) at += writeSync(fd, buf, at, buf.length - at);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    // The umask never widens 0600, but a platform that ignores the open mode gets it here.
    chmodSync(tmp, 0o600);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
