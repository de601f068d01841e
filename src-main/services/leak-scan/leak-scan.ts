import type { ScanFinding, ScanReport } from '../../../src-shared/domain/scan-types';
import type { Vault } from '../../vault/vault';
import { LeakMatcher } from './matcher';
import { scanGitHistory, scanGitStaged, scanPaths, type RawFinding, type ScanOptions, type ScanStats } from './scanner';

export type { ScanFinding as Finding, ScanReport };

export type ScanMode = { kind: 'paths'; paths: string[]; noIgnore: boolean } | { kind: 'history'; repo: string } | { kind: 'staged'; repo: string };

/**
 * `tokenvault scan`: looks for the vault's stored values in files, in every
 * blob of a repository's history, or in its index. The matcher gets only each
 * value's length, prefix and keyed hash (Vault.scanMaterial); reports carry
 * names and fingerprints, never a value.
 */
export async function runLeakScan(vault: Vault, mode: ScanMode, opts: Omit<ScanOptions, 'noIgnore'> = {}): Promise<ScanReport> {
  const material = vault.scanMaterial();
  const matcher = new LeakMatcher(material.key, material.targets);
  let result: { findings: RawFinding[]; stats: ScanStats };
  try {
    result =
      mode.kind === 'paths'
        ? await scanPaths(matcher, mode.paths, { ...opts, noIgnore: mode.noIgnore })
        : mode.kind === 'history'
          ? await scanGitHistory(matcher, mode.repo)
          : await scanGitStaged(matcher, mode.repo);
  } finally {
    material.key.fill(0);
  }
  const names = new Map<string, ScanFinding['token']>();
  const describe = (id: string, part: 'value' | 'refresh'): ScanFinding['token'] => {
    const key = `${id}:${part}`;
    let t = names.get(key);
    if (!t) {
      const c = vault.getCredential(id);
      t = { id, name: c.name, workspace: vault.getWorkspace(c.workspaceId).name, environment: vault.getEnvironment(c.environmentId).name, fingerprint: c.fingerprint, part };
      names.set(key, t);
    }
    return t;
  };
  const { stats } = result;
  return {
    findings: result.findings.map((f) => ({
      path: f.path,
      commit: f.commit ?? null,
      staged: f.staged === true,
      line: f.line,
      column: f.column,
      token: describe(f.target.credentialId, f.target.part),
    })),
    scanned: { files: stats.files, bytes: stats.bytes },
    skipped: { binary: stats.skippedBinary, huge: stats.skippedHuge, unreadable: stats.skippedUnreadable },
    unreadableTokens: material.unreadable,
    tokensSearched: matcher.size,
  };
}
