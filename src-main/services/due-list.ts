import { VaultError } from '../../src-shared/errors';
import { dueSummary, maxLeadDays, needsAttention, type DueContext, type DueEvent, type DueFacts } from '../../src-shared/expiry/due-status';
import { type DueItem, type DueKind } from '../../src-shared/expiry/due-types';
import type { Environment, Workspace } from '../../src-shared/domain/types';
import type { DueRow } from '../vault/due-store';
import type { Vault } from '../vault/vault';

/**
 * The due list: every expiry and rotation date across the vault, worked out
 * from the plaintext dates first and named afterwards, so only the tokens that
 * make the list are decrypted (a vault of 100,000 tokens names a handful).
 */
export interface DueQuery {
  /** Calendar days ahead to look; past dates are always in. Undefined: no limit. */
  withinDays?: number;
  workspaceId?: string;
  environmentId?: string;
  providerId?: string;
  kind?: DueKind;
  /** Leave out dates already past (the calendar export looks ahead only). */
  upcomingOnly?: boolean;
  /**
   * Also list JWT sessions that end with their access token (a sign-in that
   * lapses, such as Strapi's 30-minute admin login). Left out by default: a
   * session is listed only when its refresh token, which the user must act
   * on, is due.
   */
  includeSessions?: boolean;
}

export function dueFactsOf(r: DueRow): DueFacts {
  return {
    status: r.status,
    expiresAt: r.expiresAt,
    expiresOn: r.expiresOn,
    rotatedAt: r.rotatedAt,
    rotationDays: r.rotationDays,
    workspaceRotationDays: r.workspaceRotationDays,
    providerRotationDays: r.providerRotationDays,
  };
}

/** Names of credentials as `workspace/env/name`, caching workspaces and environments; needs the vault unlocked. */
export class NameBook {
  private readonly workspaces = new Map<string, Workspace>();
  private readonly environments = new Map<string, Environment>();

  constructor(private readonly vault: Vault) {}

  workspace(id: string): Workspace {
    let w = this.workspaces.get(id);
    if (!w) this.workspaces.set(id, (w = this.vault.getWorkspace(id)));
    return w;
  }

  environment(id: string): Environment {
    let e = this.environments.get(id);
    if (!e) this.environments.set(id, (e = this.vault.getEnvironment(id)));
    return e;
  }

  names(credentialId: string): { workspace: string; environment: string; name: string; ref: string } {
    const c = this.vault.getCredential(credentialId);
    const workspace = this.workspace(c.workspaceId).name;
    const environment = this.environment(c.environmentId).name;
    return { workspace, environment, name: c.name, ref: `${workspace}/${environment}/${c.name}` };
  }

  /** The reference, or null when the vault is locked or the record cannot be read. */
  refOrNull(credentialId: string): string | null {
    if (!this.vault.isUnlocked) return null;
    try {
      return this.names(credentialId).ref;
    } catch {
      return null;
    }
  }
}

export function requireUnlocked(vault: Vault): void {
  const { state } = vault.status();
  if (state === 'uninitialized') throw new VaultError('NOT_INITIALIZED', 'There is no vault yet. Create one first (tokenvault init).');
  if (state === 'locked') throw new VaultError('LOCKED', 'The vault is locked. Unlock it first.');
}

/**
 * A bound for the SQL prefilter: `days` calendar days from now can reach at
 * most a couple of 24-hour days further (DST, a zone's date line).
 */
function horizon(now: number, days: number): number {
  return now + (days + 2) * 86_400_000;
}

interface Dated {
  row: DueRow;
  event: DueEvent;
}

function datedRows(rows: readonly DueRow[], query: DueQuery, ctx: DueContext): Dated[] {
  const out: Dated[] = [];
  for (const row of rows) {
    if (query.workspaceId && row.workspaceId !== query.workspaceId) continue;
    if (query.environmentId && row.environmentId !== query.environmentId) continue;
    if (row.sessionLapse && !query.includeSessions) continue;
    for (const event of dueSummary(dueFactsOf(row), ctx).events) {
      if (query.kind && event.kind !== query.kind) continue;
      if (query.upcomingOnly && event.dueAt <= ctx.now) continue;
      if (query.withinDays !== undefined && event.daysLeft > query.withinDays) continue;
      out.push({ row, event });
    }
  }
  return out;
}

/** Every due date matching the query, earliest first, named. */
export function listDueItems(vault: Vault, query: DueQuery, ctx: DueContext): DueItem[] {
  requireUnlocked(vault);
  const book = new NameBook(vault);
  const items: DueItem[] = [];
  const rows = vault.due.rows(query.withinDays === undefined ? {} : { dueBefore: horizon(ctx.now, query.withinDays) });
  for (const { row, event } of datedRows(rows, query, ctx)) {
    if (query.providerId && book.workspace(row.workspaceId).providerId !== query.providerId) continue;
    let names;
    try {
      names = book.names(row.id);
    } catch (e) {
      // A record that fails to decrypt still has a date that matters: list it by id.
      if (!(e instanceof VaultError && e.code === 'CORRUPT')) throw e;
      names = { workspace: '?', environment: '?', name: `(unreadable ${row.id})`, ref: row.id };
    }
    items.push({
      id: row.id,
      ...names,
      kind: event.kind,
      dueAt: new Date(event.dueAt).toISOString(),
      dueDate: event.date ?? null,
      daysLeft: event.daysLeft,
      status: event.status,
      workspaceId: row.workspaceId,
      environmentId: row.environmentId,
      production: row.production,
    });
  }
  return items.sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.ref.localeCompare(b.ref) || a.kind.localeCompare(b.kind));
}

/** Per workspace id, how many tokens need attention (due soon, overdue or expired): badges. Works while locked. */
export function countDueByWorkspace(store: { rows(filter: { dueBefore?: number }): DueRow[] }, ctx: DueContext): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const row of store.rows({ dueBefore: horizon(ctx.now, maxLeadDays(ctx)) })) {
    if (row.sessionLapse) continue;
    if (needsAttention(dueSummary(dueFactsOf(row), ctx).status)) counts[row.workspaceId] = (counts[row.workspaceId] ?? 0) + 1;
  }
  return counts;
}
