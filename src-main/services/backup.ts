import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VaultError } from '../../src-shared/errors';
import { Passphrase, type KeySource } from '../../src-shared/domain/schemas';
import { parseInput } from '../vault/validate';
import type { Vault } from '../vault/vault';
import { SCHEMA_VERSION } from '../vault/migrations';
import { BACKUP_FORMAT, BACKUP_VERSION, parseBackupDocument, type BackupDocument } from '../vault/backup-format';
import { appendAuditEvents, checkTables, dumpAudit, dumpTables, insertAllTables } from '../vault/backup-tables';
import { mergeBackup, type MergeChoices, type MergeResult, type ProviderFile } from '../vault/backup-merge';
import { writePrivateFile } from '../platform/write-private-file';

/**
 * Encrypted backups: the whole vault as one JSON document (backup-format.ts)
 * inside an age file under a scrypt passphrase, so `age -d` opens it on any
 * machine, with or without Tokenvault.
 */

/** age's default scrypt cost (2^18, ~3 s in the pure-JS implementation); tests pass a lower one. */
export const DEFAULT_SCRYPT_WORK_FACTOR = 18;
const AGE_MAGIC = 'age-encryption.org/v1\n';
/** A backup larger than this is refused before it is read (a vault of 100,000 tokens is ~100 MB). */
const MAX_BACKUP_BYTES = 512 * 1024 * 1024;

export interface BackupOptions {
  /** log2 of scrypt's N for a new backup (age default 18). Tests only. */
  scryptWorkFactor?: number;
  /** Written into the document as `generator`. */
  version?: string;
}

export interface BackupSummary {
  file: string;
  bytes: number;
  workspaces: number;
  environments: number;
  credentials: number;
  auditEvents: number;
  providers: number;
}

/** The user's provider definitions, `<home>/providers/*.json`, as parsed JSON (a file that is not JSON is skipped and named). */
export function readProviderFiles(home: string): { files: ProviderFile[]; unreadable: string[] } {
  const dir = join(home, 'providers');
  let names: string[];
  try {
    names = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  } catch {
    return { files: [], unreadable: [] };
  }
  const files: ProviderFile[] = [];
  const unreadable: string[] = [];
  for (const file of names) {
    try {
      files.push({ file, definition: JSON.parse(readFileSync(join(dir, file), 'utf8')) });
    } catch {
      unreadable.push(file);
    }
  }
  return { files, unreadable };
}

function checkPassphrase(passphrase: string): string {
  return parseInput(Passphrase, passphrase, 'backupPassphrase');
}

/** The backup document of an unlocked vault (plaintext: only ever handed to `encryptBackup`). */
export function buildBackupDocument(vault: Vault, home: string, opts: BackupOptions = {}): BackupDocument {
  vault.flush();
  const x = vault.internals();
  const status = vault.status();
  return x.db.transaction(() => {
    const verification = vault.verifyAudit();
    return {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      createdAt: new Date(x.now()).toISOString(),
      generator: `tokenvault ${opts.version ?? process.env.TOKENVAULT_VERSION ?? 'dev'}`,
      source: { vaultId: status.vaultId!, schemaVersion: SCHEMA_VERSION, keySource: status.keySource! },
      auditVerified: { ok: verification.ok, checked: verification.checked },
      tables: dumpTables(x),
      audit: dumpAudit(x),
      providers: readProviderFiles(home).files,
    } satisfies BackupDocument;
  })();
}

/**
 * age's scrypt recipient (https://age-encryption.org/v1, "scrypt recipient
 * stanza"), with Node's native scrypt on the thread pool instead of the
 * library's pure-JS one: the same stanza (`scrypt <salt> <logN>`, the file
 * key sealed with ChaCha20-Poly1305 under a zero nonce), so any age opens it.
 * Not faster (both took ~8.5 s at 2^18 on a loaded 2-core build machine), but
 * off the event loop: the app's main process keeps answering the window while
 * a backup (scheduled or "Back up…") derives its key.
 */
async function scryptStanza(passphrase: string, logN: number, fileKey: Uint8Array) {
  const { Stanza } = await import('age-encryption');
  const salt = randomBytes(16);
  const label = Buffer.from('age-encryption.org/v1/scrypt', 'utf8');
  const N = 2 ** logN;
  const key = await new Promise<Buffer>((resolve, reject) =>
    scrypt(Buffer.from(passphrase, 'utf8'), Buffer.concat([label, salt]), 32, { N, r: 8, p: 1, maxmem: 128 * N * 8 + 32 * 1024 * 1024 }, (err, k) => (err ? reject(err) : resolve(k))),
  );
  try {
    const cipher = createCipheriv('chacha20-poly1305', key, Buffer.alloc(12), { authTagLength: 16 });
    const body = Buffer.concat([cipher.update(fileKey), cipher.final(), cipher.getAuthTag()]);
    return new Stanza(['scrypt', salt.toString('base64').replace(/=+$/, ''), String(logN)], new Uint8Array(body));
  } finally {
    key.fill(0);
  }
}

/**
 * age's scrypt identity, the same way round (see scryptStanza): the rules of
 * the age spec and of the library's ScryptIdentity (the only stanza, a
 * 16-byte salt, a work factor of at most 2^20), with the key derived on the
 * thread pool. Null when the passphrase opens nothing.
 */
function scryptIdentity(passphrase: string) {
  return {
    async unwrapFileKey(stanzas: { args: string[]; body: Uint8Array }[]): Promise<Uint8Array | null> {
      for (const s of stanzas) {
        if (s.args[0] !== 'scrypt') continue;
        if (stanzas.length !== 1) throw new Error('scrypt recipient is not the only one in the header');
        if (s.args.length !== 3 || !/^[1-9][0-9]*$/.test(s.args[2]!) || !/^[A-Za-z0-9+/]{22}$/.test(s.args[1]!)) throw new Error('invalid scrypt stanza');
        const salt = Buffer.from(s.args[1]!, 'base64');
        const logN = Number(s.args[2]);
        if (logN > 20) throw new Error('scrypt work factor is too high');
        if (s.body.length !== 32) throw new Error('invalid stanza');
        const N = 2 ** logN;
        const key = await new Promise<Buffer>((resolve, reject) =>
          scrypt(Buffer.from(passphrase, 'utf8'), Buffer.concat([Buffer.from('age-encryption.org/v1/scrypt', 'utf8'), salt]), 32, { N, r: 8, p: 1, maxmem: 128 * N * 8 + 32 * 1024 * 1024 }, (err, k) =>
            err ? reject(err) : resolve(k),
          ),
        );
        try {
          const decipher = createDecipheriv('chacha20-poly1305', key, Buffer.alloc(12), { authTagLength: 16 });
          decipher.setAuthTag(Buffer.from(s.body.subarray(16)));
          return new Uint8Array(Buffer.concat([decipher.update(s.body.subarray(0, 16)), decipher.final()]));
        } catch {
          return null;
        } finally {
          key.fill(0);
        }
      }
      return null;
    },
  };
}

/** Encrypts text to an age file (binary) under a scrypt passphrase. */
export async function ageEncrypt(text: string, passphrase: string, workFactor = DEFAULT_SCRYPT_WORK_FACTOR): Promise<Uint8Array> {
  const { Encrypter } = await import('age-encryption');
  const e = new Encrypter();
  e.addRecipient({ wrapFileKey: async (fileKey: Uint8Array) => [await scryptStanza(passphrase, workFactor, fileKey)] });
  return e.encrypt(text);
}

/**
 * Decrypts an age file with a passphrase. Typed errors: VALIDATION
 * (`not_a_backup`) for a file that is not age, WRONG_PASSPHRASE when the
 * passphrase opens no stanza (which is also what a damaged header looks like:
 * age cannot tell the two apart), CORRUPT (`damaged`) for a truncated or
 * altered body.
 */
export async function ageDecrypt(bytes: Uint8Array, passphrase: string): Promise<string> {
  if (Buffer.from(bytes.subarray(0, AGE_MAGIC.length)).toString('latin1') !== AGE_MAGIC) {
    throw new VaultError('VALIDATION', 'This file is not a Tokenvault backup (it is not an age-encrypted file).', { details: { reason: 'not_a_backup' } });
  }
  const { Decrypter } = await import('age-encryption');
  const d = new Decrypter();
  d.addIdentity(scryptIdentity(passphrase));
  try {
    return await d.decrypt(bytes, 'text');
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (/no identity matched/.test(message)) {
      throw new VaultError('WRONG_PASSPHRASE', 'That passphrase does not open this backup (or the beginning of the file is damaged).', {
        details: { reason: 'wrong_passphrase' },
      });
    }
    if (/work factor is too high/.test(message)) {
      throw new VaultError('UNSUPPORTED_VERSION', 'This backup asks for a scrypt cost above what age allows (2^20).', { details: { reason: 'work_factor' } });
    }
    throw new VaultError('CORRUPT', `This backup is damaged or incomplete (${message}); it cannot be restored.`, { details: { reason: 'damaged' } });
  }
}

/**
 * Writes an encrypted backup of the whole (unlocked) vault to `file`,
 * owner-only, via a temporary file and a rename; audited as `exported`.
 * Throws VALIDATION for a passphrase shorter than the vault's own minimum.
 */
export async function writeBackup(vault: Vault, home: string, file: string, passphrase: string, opts: BackupOptions = {}): Promise<BackupSummary> {
  const pass = checkPassphrase(passphrase);
  const doc = buildBackupDocument(vault, home, opts);
  const bytes = await ageEncrypt(JSON.stringify(doc), pass, opts.scryptWorkFactor);
  writePrivateFile(file, bytes);
  const summary = {
    file,
    bytes: bytes.length,
    workspaces: doc.tables.workspaces.length,
    environments: doc.tables.environments.length,
    credentials: doc.tables.credentials.length,
    auditEvents: doc.audit.length,
    providers: doc.providers.length,
  };
  vault.recordEvent({
    type: 'exported',
    note: `encrypted backup: ${summary.workspaces} workspaces, ${summary.environments} environments, ${summary.credentials} tokens`,
  });
  return summary;
}

/** Reads and decrypts a backup file into its document; every failure is a typed error (see ageDecrypt, parseBackupDocument). */
export async function readBackup(file: string, passphrase: string): Promise<BackupDocument> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new VaultError(code === 'ENOENT' ? 'NOT_FOUND' : 'VALIDATION', `Cannot read ${file} (${code ?? 'error'}).`);
  }
  if (bytes.length > MAX_BACKUP_BYTES) throw new VaultError('VALIDATION', `${file} is larger than any backup (${MAX_BACKUP_BYTES} bytes).`);
  const doc = parseBackupDocument(await ageDecrypt(bytes, passphrase));
  if (doc.source.schemaVersion > SCHEMA_VERSION) {
    throw new VaultError(
      'UNSUPPORTED_VERSION',
      `This backup comes from a newer Tokenvault (vault schema ${doc.source.schemaVersion}; this version reads up to ${SCHEMA_VERSION}). Update Tokenvault to restore it.`,
      { details: { found: doc.source.schemaVersion, supported: SCHEMA_VERSION } },
    );
  }
  checkTables(doc.tables);
  return doc;
}

export interface RestoreSummary {
  mode: 'new' | 'merge';
  workspaces: number;
  environments: number;
  credentials: number;
  auditEvents: number;
  providers: number;
  merge: MergeResult | null;
}

function writeProviders(home: string, files: ProviderFile[]): void {
  if (files.length === 0) return;
  const dir = join(home, 'providers');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const p of files) writePrivateFile(join(dir, p.file), `${JSON.stringify(p.definition, null, 2)}\n`);
}

/**
 * Restores a backup into a vault that does not exist yet (a new machine):
 * creates it (OS keychain or a master passphrase, like `init`) and fills it
 * in the creating transaction, so a failure leaves no vault. Every record
 * keeps its id; everything is sealed under the new vault's key; the audit
 * events are re-chained under it (so the log verifies) and followed by an
 * `imported` event that records the restore.
 */
export async function restoreIntoNewVault(vault: Vault, home: string, doc: BackupDocument, init: { keySource: KeySource; passphrase?: string }): Promise<RestoreSummary> {
  if (vault.status().state !== 'uninitialized') {
    throw new VaultError('ALREADY_INITIALIZED', 'A vault already exists here: restore merges into it instead (or choose an empty folder).');
  }
  const existing = readProviderFiles(home).files;
  const clash = doc.providers.filter((p) => existing.some((e) => e.file === p.file));
  if (clash.length > 0) {
    throw new VaultError('CONFLICT', `Provider files already exist here: ${clash.map((p) => p.file).join(', ')}. Move them away, or create the vault and merge.`);
  }
  await vault.init({
    ...init,
    populate: (x) => {
      appendAuditEvents(x, doc.audit);
      insertAllTables(x, doc.tables);
      x.audit.appendNow({
        type: 'imported',
        note: `restored from the backup of ${doc.createdAt} (vault ${doc.source.vaultId}): ${doc.tables.workspaces.length} workspaces, ${doc.tables.credentials.length} tokens`,
      });
    },
  });
  writeProviders(home, doc.providers);
  vault.bulkChanged();
  return {
    mode: 'new',
    workspaces: doc.tables.workspaces.length,
    environments: doc.tables.environments.length,
    credentials: doc.tables.credentials.length,
    auditEvents: doc.audit.length,
    providers: doc.providers.length,
    merge: null,
  };
}

/**
 * Merges a backup into the current (unlocked) vault in one transaction, or
 * with `dryRun` only plans it (nothing written). Conflicts need a choice
 * (`choices`); any left open throws CONFLICT and nothing changes.
 */
export function mergeBackupIntoVault(vault: Vault, home: string, doc: BackupDocument, opts: { dryRun: boolean; choices?: MergeChoices }): RestoreSummary {
  vault.flush();
  const x = vault.internals();
  const providers = readProviderFiles(home).files;
  const result = opts.dryRun
    ? mergeBackup(x, doc, providers, { apply: false, ...(opts.choices ? { choices: opts.choices } : {}) })
    : x.db.transaction(() => {
        const r = mergeBackup(x, doc, providers, { apply: true, ...(opts.choices ? { choices: opts.choices } : {}) });
        x.audit.appendNow({
          type: 'imported',
          note: `merged the backup of ${doc.createdAt} (vault ${doc.source.vaultId}): ${r.create.workspaces} workspaces, ${r.create.environments} environments, ${r.create.credentials} tokens added; ${r.resolved.length} conflicts resolved (${r.resolved
            .map((c) => `${c.key}=${c.choice}`)
            .slice(0, 20)
            .join(', ')})`,
        });
        return r;
      })();
  if (!opts.dryRun) {
    writeProviders(home, result.providerWrites);
    vault.bulkChanged();
  }
  return {
    mode: 'merge',
    workspaces: result.create.workspaces,
    environments: result.create.environments,
    credentials: result.create.credentials,
    auditEvents: 0,
    providers: result.create.providers,
    merge: result,
  };
}
