import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { dirname, isAbsolute } from 'node:path';
import { randomBytes } from 'node:crypto';
import { toErrorPayload, VaultError } from '../../../src-shared/errors';
import type { Vault } from '../../vault/vault';
import type { EventBus } from '../event-bus';
import { runLeakScan } from './leak-scan';
import { defaultScanRoots, FolderGrants } from './folder-grants';

/** Shows a file in the system's file manager (Electron: shell.showItemInFolder). */
export type RevealInFolder = (absolutePath: string) => void;

/** Browser mode and the CLI have no Electron shell: the platform's own opener, on the file's folder. */
export const systemReveal: RevealInFolder = (file) => {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', ['-R', file]] : process.platform === 'win32' ? ['explorer', [`/select,${file}`]] : ['xdg-open', [dirname(file)]];
  const child = spawn(cmd, args as string[], { stdio: 'ignore', detached: true });
  child.on('error', () => undefined);
  child.unref();
};

/**
 * "Scan a folder" in the app (issue 13): one scan at a time per run id, with
 * `scan:progress` events, cancel, and `scan:finished` carrying the report.
 * Only a file named in a run's findings can be revealed in the file manager:
 * the renderer cannot make the main process open an arbitrary path.
 */
export class ScanRunner {
  private readonly runs = new Map<string, { abort: AbortController; reported: Set<string> }>();

  constructor(
    private readonly vault: Vault,
    private readonly events: EventBus,
    private readonly reveal: RevealInFolder = systemReveal,
    /** issue 12: the folders the renderer may have scanned, by opaque handle (see folder-grants.ts). */
    readonly folders: FolderGrants = new FolderGrants({ kind: 'allowlist', roots: defaultScanRoots() }),
  ) {}

  /** Starts a scan of a folder the user chose (a handle from `folders`); the renderer's entry point. */
  startFolder(folder: string, opts: { noIgnore?: boolean } = {}): { runId: string } {
    return this.start(this.folders.resolve(folder), opts);
  }

  start(path: string, opts: { noIgnore?: boolean } = {}): { runId: string } {
    if (!isAbsolute(path)) throw new VaultError('VALIDATION', 'Give the full path of a folder.', { issues: [{ path: 'path', message: 'must be an absolute path' }] });
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      throw new VaultError('NOT_FOUND', `There is no folder ${path}.`);
    }
    if (!isDir) throw new VaultError('VALIDATION', `${path} is not a folder.`, { issues: [{ path: 'path', message: 'must be a folder' }] });
    this.vault.scanMaterial().key.fill(0); // fails now (LOCKED) rather than in the background
    const runId = `scan_${randomBytes(10).toString('hex')}`;
    const abort = new AbortController();
    const run = { abort, reported: new Set<string>() };
    this.runs.set(runId, run);
    void runLeakScan(
      this.vault,
      { kind: 'paths', paths: [path], noIgnore: opts.noIgnore === true },
      { signal: abort.signal, onProgress: (p) => this.events.emit('scan:progress', { runId, files: p.files, bytes: p.bytes, current: p.current }) },
    ).then(
      (report) => {
        for (const f of report.findings) run.reported.add(f.path);
        this.events.emit('scan:finished', { runId, cancelled: false, report, error: null });
      },
      (e: unknown) => {
        const error = toErrorPayload(e);
        this.events.emit('scan:finished', { runId, cancelled: error.code === 'CANCELLED', report: null, error: error.code === 'CANCELLED' ? null : error });
      },
    );
    return { runId };
  }

  cancel(runId: string): boolean {
    const run = this.runs.get(runId);
    if (!run || run.abort.signal.aborted) return false;
    run.abort.abort();
    return true;
  }

  revealFile(runId: string, path: string): { revealed: boolean } {
    const run = this.runs.get(runId);
    if (!run?.reported.has(path)) throw new VaultError('NOT_FOUND', 'That file is not in this scan\'s findings.');
    this.reveal(path);
    return { revealed: true };
  }
}
