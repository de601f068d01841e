import { spawn } from 'node:child_process';
import { closeSync, fstatSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { VaultError } from '../../../src-shared/errors';
import type { ScanTarget } from '../../vault/scan-index';
import type { LeakMatcher } from './matcher';

/** Files (and blobs) larger than this are skipped and counted. */
export const MAX_SCAN_BYTES = 16 * 1024 * 1024;
/** A NUL byte in the first 8,000 bytes makes a file binary (git's own rule). */
const BINARY_SNIFF_BYTES = 8000;

export interface RawFinding {
  /** A file path (relative to the scanned folder's parent as given), or a path inside a commit or the index. */
  path: string;
  /** For --git-history: the commit that first holds this blob. */
  commit?: string;
  staged?: boolean;
  /** 1-based. */
  line: number;
  /** 1-based, in characters of the line (UTF-16 code units, as editors count). */
  column: number;
  target: ScanTarget;
}

export interface ScanStats {
  files: number;
  bytes: number;
  skippedBinary: number;
  skippedHuge: number;
  skippedUnreadable: number;
}

export interface ScanProgress {
  files: number;
  bytes: number;
  /** The path being read now. */
  current: string;
}

export interface ScanOptions {
  noIgnore?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: ScanProgress) => void;
}

const emptyStats = (): ScanStats => ({ files: 0, bytes: 0, skippedBinary: 0, skippedHuge: 0, skippedUnreadable: 0 });

function isBinary(buf: Buffer, end: number): boolean {
  return buf.subarray(0, Math.min(end, BINARY_SNIFF_BYTES)).indexOf(0) !== -1;
}

/** Line and column of each hit, counted once per buffer in one pass. */
function locate(buf: Buffer, hits: { offset: number; target: ScanTarget }[]): { line: number; column: number; target: ScanTarget }[] {
  hits.sort((a, b) => a.offset - b.offset);
  const out = [];
  let line = 1;
  let lineStart = 0;
  let pos = 0;
  for (const h of hits) {
    for (let nl = buf.indexOf(10, pos); nl !== -1 && nl < h.offset; nl = buf.indexOf(10, nl + 1)) {
      line++;
      lineStart = nl + 1;
    }
    pos = h.offset;
    out.push({ line, column: buf.toString('utf8', lineStart, h.offset).length + 1, target: h.target });
  }
  return out;
}

/** Scans one buffer; returns the located findings. */
function scanBuffer(matcher: LeakMatcher, buf: Buffer, end: number) {
  const hits: { offset: number; target: ScanTarget }[] = [];
  matcher.scan(buf, end, (offset, target) => hits.push({ offset, target }));
  return hits.length ? locate(buf.subarray(0, end), hits) : [];
}

const tick = () => new Promise<void>((r) => setImmediate(r));

function checkCancel(signal?: AbortSignal) {
  if (signal?.aborted) throw new VaultError('CANCELLED', 'The scan was cancelled.');
}

/**
 * Scans files and folders. Folders are walked without following symbolic
 * links, `.git` is never entered, and `.gitignore` files (each applying below
 * its own folder, with the `ignore` package's git semantics) are honoured
 * unless `noIgnore`. A path named explicitly is scanned even if ignored.
 */
export async function scanPaths(matcher: LeakMatcher, paths: readonly string[], opts: ScanOptions = {}): Promise<{ findings: RawFinding[]; stats: ScanStats }> {
  const stats = emptyStats();
  const findings: RawFinding[] = [];
  let buf = Buffer.allocUnsafe(1024 * 1024);
  let sinceYield = 0;

  const scanFile = async (abs: string, shown: string) => {
    let fd: number;
    try {
      fd = openSync(abs, 'r');
    } catch {
      stats.skippedUnreadable++;
      return;
    }
    try {
      const size = fstatSync(fd).size;
      if (size > MAX_SCAN_BYTES) {
        stats.skippedHuge++;
        return;
      }
      if (size > buf.length) buf = Buffer.allocUnsafe(Math.max(size, buf.length * 2));
      let end = 0;
      while (end < size) {
        const n = readSync(fd, buf, end, size - end, end);
        if (n === 0) break;
        end += n;
      }
      if (isBinary(buf, end)) {
        stats.skippedBinary++;
        return;
      }
      stats.files++;
      stats.bytes += end;
      for (const f of scanBuffer(matcher, buf, end)) findings.push({ path: shown, ...f });
    } catch {
      stats.skippedUnreadable++;
    } finally {
      closeSync(fd);
    }
    sinceYield += 1;
    if (sinceYield >= 64) {
      sinceYield = 0;
      opts.onProgress?.({ files: stats.files, bytes: stats.bytes, current: shown });
      await tick();
      checkCancel(opts.signal);
    }
  };

  const walk = async (dir: string, shownDir: string, rules: { base: string; ig: Ignore }[]) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      stats.skippedUnreadable++;
      return;
    }
    let here = rules;
    if (!opts.noIgnore && entries.some((e) => e.name === '.gitignore' && e.isFile())) {
      try {
        here = [...rules, { base: dir, ig: ignore().add(readFileSync(join(dir, '.gitignore'), 'utf8')) }];
      } catch {
        // An unreadable .gitignore ignores nothing.
      }
    }
    const ignored = (abs: string, isDir: boolean) =>
      here.some(({ base, ig }) => {
        const rel = relative(base, abs).split(sep).join('/');
        return rel !== '' && ig.ignores(isDir ? `${rel}/` : rel);
      });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const abs = join(dir, e.name);
      const shown = shownDir === '' ? e.name : `${shownDir}/${e.name}`;
      if (e.isDirectory()) {
        if (e.name === '.git') continue;
        if (!opts.noIgnore && ignored(abs, true)) continue;
        await walk(abs, shown, here);
      } else if (e.isFile()) {
        if (!opts.noIgnore && ignored(abs, false)) continue;
        await scanFile(abs, shown);
      }
    }
  };

  for (const p of paths) {
    const abs = resolve(p);
    let isDir: boolean;
    try {
      isDir = fstatLike(abs);
    } catch {
      throw new VaultError('NOT_FOUND', `There is no file or folder ${p}.`);
    }
    const shown = p.replace(/[\\/]+$/, '') || p;
    if (isDir) await walk(abs, shown === '.' ? '' : shown, []);
    else await scanFile(abs, shown);
  }
  opts.onProgress?.({ files: stats.files, bytes: stats.bytes, current: '' });
  return { findings, stats };
}

function fstatLike(abs: string): boolean {
  const fd = openSync(abs, 'r');
  try {
    return fstatSync(fd).isDirectory();
  } finally {
    closeSync(fd);
  }
}

// ------------------------------------------------------------------- git

/** Runs git and returns stdout; a failure is a USAGE error naming the folder (not a repository, or no git). */
function git(repo: string, args: string[]): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('git', ['-C', repo, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', () => reject(new VaultError('USAGE', 'git is not installed (or not on PATH): --git-history and --staged need it.')));
    child.on('close', (code) => {
      if (code === 0) resolvePromise(Buffer.concat(out));
      else reject(new VaultError('USAGE', `${repo} is not a git repository (git: ${err.trim().split('\n')[0]?.slice(0, 200) ?? 'failed'}).`));
    });
  });
}

/**
 * Streams blobs through `git cat-file --batch`: writes the ids, parses
 * "<id> <type> <size>\n<content>\n" records as they come, and hands each
 * blob's bytes to `onBlob` (the buffer is reused: copy what you keep).
 */
function catBlobs(repo: string, ids: readonly string[], onBlob: (id: string, data: Buffer) => void): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('git', ['-C', repo, 'cat-file', '--batch'], { stdio: ['pipe', 'pipe', 'pipe'] });
    // Chunks are joined only when a whole header or blob is there: no quadratic copying of a big blob.
    let chunks: Buffer[] = [];
    let have = 0;
    const joined = (): Buffer => {
      const b = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      chunks = [b];
      return b;
    };
    const rest = (b: Buffer) => {
      chunks = b.length ? [b] : [];
      have = b.length;
    };
    let want: { id: string; size: number } | null = null;
    child.stdout.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      have += chunk.length;
      for (;;) {
        if (!want) {
          if (have === 0) return;
          const b = joined();
          const nl = b.indexOf(10);
          if (nl === -1) return;
          const header = b.toString('latin1', 0, nl).split(' ');
          rest(b.subarray(nl + 1));
          if (header[1] === 'missing') continue;
          want = { id: header[0]!, size: Number(header[2]) };
        }
        if (have < want.size + 1) return;
        const b = joined();
        onBlob(want.id, b.subarray(0, want.size));
        rest(b.subarray(want.size + 1));
        want = null;
      }
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolvePromise() : reject(new VaultError('USAGE', 'git cat-file failed.'))));
    child.stdin.end(ids.map((id) => `${id}\n`).join(''));
  });
}

async function scanBlobs(
  matcher: LeakMatcher,
  repo: string,
  blobs: Map<string, { path: string; size: number }>,
  stats: ScanStats,
): Promise<{ id: string; path: string; line: number; column: number; target: ScanTarget }[]> {
  const ids: string[] = [];
  for (const [id, b] of blobs) {
    if (b.size > MAX_SCAN_BYTES) stats.skippedHuge++;
    else ids.push(id);
  }
  const out: { id: string; path: string; line: number; column: number; target: ScanTarget }[] = [];
  await catBlobs(repo, ids, (id, data) => {
    if (isBinary(data, data.length)) {
      stats.skippedBinary++;
      return;
    }
    stats.files++;
    stats.bytes += data.length;
    for (const f of scanBuffer(matcher, data, data.length)) out.push({ id, path: blobs.get(id)!.path, ...f });
  });
  return out;
}

/** Blob id → size, for the ids given (trees and commits left out). */
async function blobSizes(repo: string, ids: string[]): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  if (ids.length === 0) return sizes;
  const out = await new Promise<string>((resolvePromise, reject) => {
    const child = spawn('git', ['-C', repo, 'cat-file', '--batch-check=%(objectname) %(objecttype) %(objectsize)'], { stdio: ['pipe', 'pipe', 'ignore'] });
    let text = '';
    child.stdout.on('data', (d) => (text += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolvePromise(text) : reject(new VaultError('USAGE', 'git cat-file failed.'))));
    child.stdin.end(ids.map((id) => `${id}\n`).join(''));
  });
  for (const line of out.split('\n')) {
    const [id, type, size] = line.split(' ');
    if (type === 'blob') sizes.set(id!, Number(size));
  }
  return sizes;
}

/**
 * Every blob reachable from any ref (`git rev-list --all --objects`), each
 * scanned once; a finding names the oldest commit that holds the blob
 * (`git log --all --find-object`) and a path it had there.
 */
export async function scanGitHistory(matcher: LeakMatcher, repo: string): Promise<{ findings: RawFinding[]; stats: ScanStats }> {
  const stats = emptyStats();
  const listing = (await git(repo, ['rev-list', '--all', '--objects'])).toString('utf8');
  const pathOf = new Map<string, string>();
  for (const line of listing.split('\n')) {
    const sp = line.indexOf(' ');
    if (sp === -1) continue; // a commit (no path)
    const id = line.slice(0, sp);
    if (!pathOf.has(id)) pathOf.set(id, line.slice(sp + 1));
  }
  const sizes = await blobSizes(repo, [...pathOf.keys()]);
  const blobs = new Map<string, { path: string; size: number }>();
  for (const [id, size] of sizes) blobs.set(id, { path: pathOf.get(id)!, size });
  const found = await scanBlobs(matcher, repo, blobs, stats);
  const commitOf = new Map<string, string>();
  for (const f of found) {
    if (commitOf.has(f.id)) continue;
    const log = (await git(repo, ['log', '--all', '--format=%H', `--find-object=${f.id}`])).toString('utf8').trim().split('\n');
    commitOf.set(f.id, log.at(-1) ?? '');
  }
  return { findings: found.map(({ id, ...f }) => ({ ...f, commit: commitOf.get(id)! })), stats };
}

/** What `git commit` would record: the index's blobs (`git ls-files -s`). */
export async function scanGitStaged(matcher: LeakMatcher, repo: string): Promise<{ findings: RawFinding[]; stats: ScanStats }> {
  const stats = emptyStats();
  const listing = (await git(repo, ['ls-files', '-s', '-z'])).toString('utf8');
  const entries: { id: string; path: string }[] = [];
  for (const rec of listing.split('\0')) {
    const tab = rec.indexOf('\t');
    if (tab === -1) continue;
    const [mode, id] = rec.slice(0, tab).split(' ');
    if (mode === '160000') continue; // a submodule's commit, not a blob
    entries.push({ id: id!, path: rec.slice(tab + 1) });
  }
  const sizes = await blobSizes(repo, [...new Set(entries.map((e) => e.id))]);
  const blobs = new Map<string, { path: string; size: number }>();
  for (const e of entries) if (sizes.has(e.id) && !blobs.has(e.id)) blobs.set(e.id, { path: e.path, size: sizes.get(e.id)! });
  const found = await scanBlobs(matcher, repo, blobs, stats);
  // One blob staged under several paths is reported under each.
  const findings: RawFinding[] = [];
  for (const f of found) {
    for (const e of entries) if (e.id === f.id) findings.push({ path: e.path, staged: true, line: f.line, column: f.column, target: f.target });
  }
  return { findings, stats };
}
