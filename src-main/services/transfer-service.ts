import { dirname } from 'node:path';
import { VaultError } from '../../src-shared/errors';
import type { KeySource } from '../../src-shared/domain/schemas';
import type { BackupInspection, ConflictChoice, ImportFormat, ImportPreview, ImportResult } from '../../src-shared/domain/transfer-types';
import type { Vault } from '../vault/vault';
import type { ProviderRegistry } from './provider-registry';
import { BACKUP_FORMAT } from '../vault/backup-format';
import { ageDecrypt, ageEncrypt, buildBackupDocument, mergeBackupIntoVault, restoreIntoNewVault, type BackupOptions } from './backup';
import { parseBackupDocument } from '../vault/backup-format';
import { checkTables } from '../vault/backup-tables';
import { SCHEMA_VERSION } from '../vault/migrations';
import { Passphrase } from '../../src-shared/domain/schemas';
import { parseInput } from '../vault/validate';
import { writeExport } from './export';
import { applyImport, planImport, readImportFolder, readImportText } from './import';

/**
 * Backup, restore, import and export for the UI (the IPC handlers): files
 * travel as their content (the page picks and saves them), never as paths
 * chosen by the page. No channel here returns a token value: the backup is
 * age-encrypted, previews carry fingerprints, and the export has no secrets
 * (a plaintext export is the CLI's `tokenvault export --with-secrets`).
 */
type ImportInput = { fileName: string; text: string; format: 'auto' | ImportFormat; workspace: string; env?: string; files?: { path: string; text: string }[] };

export class TransferService {
  constructor(
    private readonly vault: Vault,
    private readonly providers: ProviderRegistry,
    private readonly opts: BackupOptions = {},
  ) {}

  private get home(): string {
    return dirname(this.providers.folder);
  }

  /** The encrypted backup file's bytes (base64) and a file name to save it under. */
  async backup(passphrase: string): Promise<{ fileName: string; base64: string; workspaces: number; environments: number; credentials: number }> {
    const pass = parseInput(Passphrase, passphrase, 'passphrase');
    const doc = buildBackupDocument(this.vault, this.home, this.opts);
    const bytes = await ageEncrypt(JSON.stringify(doc), pass, this.opts.scryptWorkFactor);
    const counts = { workspaces: doc.tables.workspaces.length, environments: doc.tables.environments.length, credentials: doc.tables.credentials.length };
    this.vault.recordEvent({ type: 'exported', note: `encrypted backup: ${counts.workspaces} workspaces, ${counts.environments} environments, ${counts.credentials} tokens` });
    return { fileName: `tokenvault-${doc.createdAt.slice(0, 10)}.age`, base64: Buffer.from(bytes).toString('base64'), ...counts };
  }

  private async open(base64: string, passphrase: string) {
    const doc = parseBackupDocument(await ageDecrypt(Buffer.from(base64, 'base64'), passphrase));
    if (doc.format !== BACKUP_FORMAT) throw new VaultError('VALIDATION', 'This file is not a Tokenvault backup.');
    if (doc.source.schemaVersion > SCHEMA_VERSION) {
      throw new VaultError('UNSUPPORTED_VERSION', `This backup comes from a newer Tokenvault (vault schema ${doc.source.schemaVersion}; this version reads up to ${SCHEMA_VERSION}).`);
    }
    checkTables(doc.tables);
    return doc;
  }

  /** What a restore would do: into a new vault when there is none, else a merge with its conflicts. Writes nothing. */
  async inspect(base64: string, passphrase: string): Promise<BackupInspection> {
    const doc = await this.open(base64, passphrase);
    const counts = { workspaces: doc.tables.workspaces.length, environments: doc.tables.environments.length, credentials: doc.tables.credentials.length, auditEvents: doc.audit.length, providers: doc.providers.length };
    if (this.vault.status().state === 'uninitialized') return { mode: 'new', createdAt: doc.createdAt, counts, create: null, unchanged: 0, conflicts: [] };
    const plan = mergeBackupIntoVault(this.vault, this.home, doc, { dryRun: true }).merge!;
    return { mode: 'merge', createdAt: doc.createdAt, counts, create: plan.create, unchanged: plan.unchanged, conflicts: plan.conflicts };
  }

  async restore(input: {
    base64: string;
    passphrase: string;
    choices?: { all?: ConflictChoice; byKey?: Record<string, ConflictChoice> };
    newVault?: { keySource: KeySource; passphrase?: string };
  }): Promise<{ mode: 'new' | 'merge'; workspaces: number; environments: number; credentials: number; resolved: number }> {
    const doc = await this.open(input.base64, input.passphrase);
    if (this.vault.status().state === 'uninitialized') {
      if (!input.newVault) throw new VaultError('VALIDATION', 'Restoring into a new vault: choose where its key lives (OS keychain or a master passphrase).');
      const s = await restoreIntoNewVault(this.vault, this.home, doc, input.newVault);
      this.providers.reload();
      return { mode: 'new', workspaces: s.workspaces, environments: s.environments, credentials: s.credentials, resolved: 0 };
    }
    const s = mergeBackupIntoVault(this.vault, this.home, doc, { dryRun: false, ...(input.choices ? { choices: input.choices } : {}) });
    this.providers.reload();
    return { mode: 'merge', workspaces: s.workspaces, environments: s.environments, credentials: s.credentials, resolved: s.merge!.resolved.length };
  }

  /** A file's text, or a picked folder's files (a Bruno collection), read as the CLI reads a file or a folder. */
  private read(i: ImportInput) {
    return i.files ? readImportFolder(i.fileName, i.files, i.format) : readImportText(i.fileName, i.text, i.format);
  }

  async previewImport(i: ImportInput): Promise<ImportPreview> {
    const source = await this.read(i);
    return planImport(this.vault, source, { workspace: i.workspace, ...(i.env ? { env: i.env } : {}) }, this.providers).preview;
  }

  /** Reads and plans again (the page holds no values), then imports in one transaction. */
  async applyImport(i: ImportInput): Promise<ImportResult & { preview: ImportPreview }> {
    const source = await this.read(i);
    const plan = planImport(this.vault, source, { workspace: i.workspace, ...(i.env ? { env: i.env } : {}) }, this.providers);
    return { ...applyImport(this.vault, plan, this.providers), preview: plan.preview };
  }

  /** A workspace's export without secrets, for the page to save; audited. */
  exportWorkspace(workspaceId: string): { fileName: string; text: string } {
    const r = writeExport(this.vault, workspaceId, null, { withSecrets: false });
    return { fileName: `${r.doc.workspace.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'workspace'}.tokenvault.json`, text: r.text };
  }
}
