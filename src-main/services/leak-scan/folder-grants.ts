import { randomBytes } from 'node:crypto';
import { realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, isAbsolute, relative, sep } from 'node:path';
import { VaultError } from '../../../src-shared/errors';

/**
 * Which folders the renderer may have scanned (issue 12, security fix).
 *
 * `scan:start` used to take any absolute path from the renderer, so a
 * compromised page could make the main process read any folder the user can
 * read (/, other projects, mounted drives) and learn which files hold which
 * token. Now the renderer only ever passes back an opaque handle that the
 * main process handed out for a folder the *user* chose:
 *
 * - Electron (`picker`): the main process shows the OS folder picker
 *   (dialog.showOpenDialog); the path never comes from the page.
 * - Browser mode (`allowlist`): there is no native picker the server could
 *   show (it may run headless, and a page's <input type=file> gives no path).
 *   A confirmation click in the page would prove nothing, because a
 *   compromised page can click it too. So the typed path is checked against
 *   roots fixed outside the page, when the server starts: the user's home
 *   folder by default, plus `--scan-root DIR` / TOKENVAULT_SCAN_ROOTS. The
 *   path is resolved with realpath first, so a symbolic link cannot lead out
 *   of a root.
 */
export type FolderSource = { kind: 'picker'; pick: () => Promise<string | null> } | { kind: 'allowlist'; roots: readonly string[] };

export interface FolderGrant {
  /** Opaque: `fld_` + 20 hex characters; means nothing outside this process. */
  folder: string;
  /** The resolved path, for the page to show. */
  path: string;
}

const HANDLE = /^fld_[0-9a-f]{20}$/;
/** Enough for a session of scans; the oldest grant goes first. */
const MAX_GRANTS = 32;

/** The browser-mode roots: the home folder plus TOKENVAULT_SCAN_ROOTS (path-delimiter separated) plus `extra`. */
export function defaultScanRoots(extra: readonly string[] = [], env: NodeJS.ProcessEnv = process.env): string[] {
  const fromEnv = (env.TOKENVAULT_SCAN_ROOTS ?? '').split(delimiter).filter((p) => p.trim() !== '');
  return [homedir(), ...fromEnv, ...extra];
}

function within(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && rel.split(sep)[0] !== '..');
}

/** Hands out and resolves folder handles; one per process, owned by the ScanRunner. */
export class FolderGrants {
  private readonly grants = new Map<string, string>();

  constructor(readonly source: FolderSource) {}

  /** Electron: shows the folder picker; null when the user cancelled. Browser mode has none (VALIDATION). */
  async pick(): Promise<FolderGrant | null> {
    if (this.source.kind !== 'picker') {
      throw new VaultError('VALIDATION', 'Browser mode has no folder picker: type the folder path instead.');
    }
    const chosen = await this.source.pick();
    return chosen === null ? null : this.grant(this.checkFolder(chosen));
  }

  /**
   * Browser mode: a typed path, allowed when it resolves to a folder inside one
   * of the roots. The Electron app refuses typed paths (its picker is the only way).
   */
  allow(path: string): FolderGrant {
    if (this.source.kind !== 'allowlist') {
      throw new VaultError('VALIDATION', 'Choose the folder with the folder picker.', { issues: [{ path: 'path', message: 'typed paths are not accepted here' }] });
    }
    const real = this.checkFolder(path);
    const roots = this.source.roots.flatMap((r) => {
      try {
        return [realpathSync(r)];
      } catch {
        return [];
      }
    });
    if (!roots.some((r) => within(r, real))) {
      throw new VaultError('VALIDATION', `${real} is outside the folders browser mode may scan (${roots.join(', ')}). Start it with --scan-root FOLDER to allow another.`, {
        issues: [{ path: 'path', message: 'is outside the folders allowed for scanning' }],
      });
    }
    return this.grant(real);
  }

  /** The folder behind a handle this process handed out; NOT_FOUND for anything else. */
  resolve(folder: string): string {
    const path = HANDLE.test(folder) ? this.grants.get(folder) : undefined;
    if (path === undefined) throw new VaultError('NOT_FOUND', 'That folder was not chosen in this session: choose it again.');
    return path;
  }

  private checkFolder(path: string): string {
    if (!isAbsolute(path)) throw new VaultError('VALIDATION', 'Give the full path of a folder.', { issues: [{ path: 'path', message: 'must be an absolute path' }] });
    let real: string;
    try {
      real = realpathSync(path);
    } catch {
      throw new VaultError('NOT_FOUND', `There is no folder ${path}.`);
    }
    if (!statSync(real).isDirectory()) throw new VaultError('VALIDATION', `${path} is not a folder.`, { issues: [{ path: 'path', message: 'must be a folder' }] });
    return real;
  }

  private grant(path: string): FolderGrant {
    for (const [k, v] of this.grants) if (v === path) this.grants.delete(k);
    while (this.grants.size >= MAX_GRANTS) this.grants.delete(this.grants.keys().next().value!);
    const folder = `fld_${randomBytes(10).toString('hex')}`;
    this.grants.set(folder, path);
    return { folder, path };
  }
}
