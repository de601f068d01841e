import type { CredentialSummary, Environment, Listed, Workspace } from '../../src-shared/domain/types';

export interface SearchEntry {
  type: 'workspace' | 'environment' | 'credential';
  id: string;
  name: string;
  /** `workspace/env/name` as far as it applies. */
  path: string;
  workspaceId: string;
  environmentId: string | null;
  lower: string;
}

/** Where the index reads names from (decrypting them): the three repositories. */
export interface SearchSources {
  workspaces: () => Listed<Workspace>[];
  environments: () => Listed<Environment>[];
  credentials: () => Listed<CredentialSummary>[];
}

/**
 * Finds workspaces, environments and tokens by name across the whole vault.
 * Names are encrypted at rest, so the index is built in memory on the first
 * search after unlock or a change (`invalidate`), and dropped on lock.
 */
export class SearchIndex {
  private entries: SearchEntry[] | null = null;

  constructor(private readonly sources: SearchSources) {}

  /** Drops the index (a change, another process's commit, the lock). */
  invalidate(): void {
    this.entries = null;
  }

  /**
   * Up to `limit` entries whose path holds every word of `query` (split on
   * spaces and `/`, case-blind) with at least one word in the entry's own name.
   */
  search(query: string, limit = 50): SearchEntry[] {
    this.entries ??= this.build();
    // Several words match across the path ("client a prod" finds Client A/production):
    // each word somewhere in the path, at least one in the entry's own name.
    const words = query.normalize('NFC').trim().toLocaleLowerCase('en-US').split(/[\s/]+/).filter(Boolean);
    if (words.length === 0) return [];
    const out: SearchEntry[] = [];
    for (const e of this.entries) {
      const path = e.path.toLocaleLowerCase('en-US');
      if (words.some((w) => e.lower.includes(w)) && words.every((w) => path.includes(w))) {
        out.push(e);
        if (out.length >= limit) break;
      }
    }
    return out;
  }

  private build(): SearchEntry[] {
    const index: SearchEntry[] = [];
    const wsNames = new Map<string, string>();
    const envNames = new Map<string, string>();
    for (const w of this.sources.workspaces()) {
      if ('corrupt' in w) continue;
      wsNames.set(w.id, w.name);
      index.push({ type: 'workspace', id: w.id, name: w.name, path: w.name, workspaceId: w.id, environmentId: null, lower: w.name.toLocaleLowerCase('en-US') });
    }
    for (const env of this.sources.environments()) {
      if ('corrupt' in env) continue;
      envNames.set(env.id, env.name);
      const path = `${wsNames.get(env.workspaceId) ?? '?'}/${env.name}`;
      index.push({ type: 'environment', id: env.id, name: env.name, path, workspaceId: env.workspaceId, environmentId: env.id, lower: env.name.toLocaleLowerCase('en-US') });
    }
    for (const c of this.sources.credentials()) {
      if ('corrupt' in c) continue;
      const path = `${wsNames.get(c.workspaceId) ?? '?'}/${envNames.get(c.environmentId) ?? '?'}/${c.name}`;
      index.push({ type: 'credential', id: c.id, name: c.name, path, workspaceId: c.workspaceId, environmentId: c.environmentId, lower: c.name.toLocaleLowerCase('en-US') });
    }
    return index;
  }
}
