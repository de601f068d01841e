import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file that names workspaces or tokens (a calendar export, an
 * export, a backup) so that only its owner can read it, whether or not it
 * existed before: the content goes to a new temporary file beside the target
 * (created 0600, exclusive), is flushed to disk, and is renamed over the
 * target. Readers see the old file or the new one, never half of one, and an
 * existing file's looser mode (0644) never leaks onto the new content.
 *
 * `data` is a string (UTF-8) or bytes. Raises the file system's error (ENOENT
 * for a missing folder, EACCES, …); on failure the temporary file is removed
 * and the target is untouched. On Windows the mode bits are not enforced: the
 * file inherits its folder's ACL.
 */
export function writePrivateFile(path: string, data: string | Uint8Array): void {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
    closeSync(fd);
    // The umask can only remove bits, but be explicit: 0600 whatever the process umask.
    chmodSync(tmp, 0o600);
    renameSync(tmp, path);
  } catch (e) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(tmp, { force: true });
    throw e;
  }
}
