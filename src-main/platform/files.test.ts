import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { normalizeSecretText, secretLines } from './secret-text';
import { writePrivateFile } from './write-private-file';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const dir = () => {
  const d = mkdtempSync(join(tmpdir(), 'tv-files-'));
  dirs.push(d);
  return d;
};

describe('writePrivateFile', () => {
  it.skipIf(process.platform === 'win32')('writes 0600 whether or not the file existed, and leaves no temporary file', () => {
    const d = dir();
    const fresh = join(d, 'due.ics');
    writePrivateFile(fresh, 'BEGIN:VCALENDAR');
    expect(statSync(fresh).mode & 0o777).toBe(0o600);
    const old = join(d, 'old.ics');
    writeFileSync(old, 'someone else could read this', { mode: 0o644 });
    chmodSync(old, 0o644);
    writePrivateFile(old, new TextEncoder().encode('new content'));
    expect(statSync(old).mode & 0o777).toBe(0o600);
    expect(readFileSync(old, 'utf8')).toBe('new content');
    expect(readdirSync(d).sort()).toEqual(['due.ics', 'old.ics']);
  });

  it('leaves the target untouched and no temporary file when the write fails', () => {
    const d = dir();
    expect(() => writePrivateFile(join(d, 'missing', 'x.ics'), 'x')).toThrow(/ENOENT/);
    expect(readdirSync(d)).toEqual([]);
  });
});

describe('normalizeSecretText', () => {
  it('gives the same text for files saved on Windows, Linux and old Macs', () => {
    const forms = ['pass phrase', 'pass phrase\n', 'pass phrase\r\n', '\uFEFFpass phrase\r\n', 'pass phrase\r', 'pass phrase\n\n'];
    for (const f of forms) expect(normalizeSecretText(f), JSON.stringify(f)).toBe('pass phrase');
    // Spaces are part of a passphrase: only line ends and a BOM go.
    expect(normalizeSecretText(' pass phrase \r\n')).toBe(' pass phrase ');
    expect(secretLines('access\r\nrefresh\r\n')).toEqual(['access', 'refresh']);
  });
});
