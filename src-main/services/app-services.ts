import { systemTimeZone } from '../../src-shared/expiry/calendar';
import { DEFAULT_REMINDER_LEAD_DAYS } from '../../src-shared/expiry/due-types';
import { ScanRunner, type RevealInFolder } from './leak-scan/scan-runner';
import { defaultScanRoots, FolderGrants, type FolderSource } from './leak-scan/folder-grants';
import type { DueContext } from '../../src-shared/expiry/due-status';
import type { ProviderRotationDefaults } from '../../src-shared/expiry/rotation-policy';
import type { KeyStore } from '../vault/keychain';
import { probeKeychain, type KeychainReachability } from '../vault/keychain-probe';
import { Vault } from '../vault/vault';
import { Arming } from './arming';
import { AutoLock } from './auto-lock';
import { Catalog } from './catalog';
import { ProbeService } from './probe-service';
import { ProviderRegistry } from './provider-registry';
import { RequestService } from './request-service';
import { RevocationService } from './revocation';
import { RotationService } from './rotation';
import { TokenSync } from './token-sync';
import { TransferService } from './transfer-service';
import { TestRunner } from './test-runner';
import { ClipboardService, type SystemClipboard } from './clipboard';
import { NameBook } from './due-list';
import { EventBus } from './event-bus';
import { syncProviderRotationDays } from './provider-rotation';
import { ReminderScheduler } from './reminders';
import { BackupScheduler, ScheduledBackups } from './scheduled-backup';

export interface AppServicesOptions {
  home: string;
  keyStore: KeyStore;
  shell: 'electron' | 'browser';
  /** Electron's clipboard; absent in browser mode, where the page writes its own. */
  clipboard?: SystemClipboard;
  nativeBinding?: string;
  now?: () => number;
  /** The user's zone for due dates (default: the system's). */
  timeZone?: () => string;
  /** The user's locale for dates in reminders (default: the system's). */
  locale?: string;
  /** providerId → advised rotation days; by default read from the provider definitions (Coolset: 90). */
  providerRotationDays?: ProviderRotationDefaults;
  /** Reminder thresholds in days before a date (default 14, 3, 1). */
  reminderLeadDays?: number[];
  /** Electron's shell.showItemInFolder; elsewhere the platform's opener (issue 13). */
  revealInFolder?: RevealInFolder;
  /** issue 12: how the user chooses a folder to scan (Electron: the OS picker; default: browser mode's allowlist of roots). */
  scanFolders?: FolderSource;
}

/** providerId → days, from the definitions that advise a rotation period (built-in and the user's own). */
function rotationAdvice(providers: ProviderRegistry): ProviderRotationDefaults {
  return Object.fromEntries(
    providers.list().flatMap(({ definition: d }) => (d.rotationAdviceDays ? [[d.id, d.rotationAdviceDays] as const] : [])),
  );
}

/** Everything the handlers need, built once per process by whichever shell runs. */
export interface AppServices {
  shell: 'electron' | 'browser';
  vault: Vault;
  autoLock: AutoLock;
  events: EventBus;
  clipboard: ClipboardService | null;
  providers: ProviderRegistry;
  catalog: Catalog;
  arming: Arming;
  requests: RequestService;
  revocation: RevocationService;
  tokenSync: TokenSync;
  rotation: RotationService;
  /** Backup, restore, import and export (issue 14). */
  transfer: TransferService;
  testRunner: TestRunner;
  probes: ProbeService;
  /** issue 13: "Scan a folder". */
  scans: ScanRunner;
  reminders: ReminderScheduler;
  /** Scheduled backups to a folder (issue 14); run by a timer while unlocked. */
  scheduledBackups: ScheduledBackups;
  /** issue 12: does the OS keychain answer? A bounded probe, for the first-run screen. */
  probeKeychain(): Promise<KeychainReachability>;
  /** Now and the user's zone, for the due list. */
  dueClock(): DueContext;
  close(): void;
}

export function createAppServices(opts: AppServicesOptions): AppServices {
  const vault = Vault.open({
    home: opts.home,
    keyStore: opts.keyStore,
    ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
    ...(opts.now ? { now: opts.now } : {}),
    processLabel: opts.shell === 'electron' ? 'Tokenvault app' : 'Tokenvault (browser mode)',
  });
  const events = new EventBus();
  const clipboard = opts.clipboard ? new ClipboardService(opts.clipboard) : null;
  let lockReason: 'user' | 'idle' | 'system' = 'user';
  const autoLock = new AutoLock(vault, (reason) => {
    lockReason = reason;
  });
  vault.on('locked', () => {
    clipboard?.clearIfPending();
    events.emit('vault:locked', { reason: lockReason });
    lockReason = 'user';
  });
  const now = opts.now ?? Date.now;
  const providers = new ProviderRegistry(opts.home);
  const arming = new Arming(now);
  const requests = new RequestService(vault, providers, arming, now);
  // Locking disarms production too: whoever unlocks next arms again.
  vault.on('locked', () => arming.disarm());
  vault.on('unlocked', () => events.emit('vault:unlocked', {}));
  vault.on('changed', (c) => events.emit('vault:changed', c));
  // The CLI and scripts write to the same vault: their changes reach the open UI within a quarter second.
  vault.watchOtherProcesses(250);

  // issue 12: the zone and reminder lead times come from the user's settings unless the caller fixes them.
  const settings = () => {
    try {
      return vault.getSettings();
    } catch {
      return null; // a closed or busy database: the defaults below
    }
  };
  const timeZone = opts.timeZone ?? (() => settings()?.timeZone ?? systemTimeZone());
  const leadDays = () => {
    const s = settings();
    return { expiry: s?.expiryReminderDays ?? DEFAULT_REMINDER_LEAD_DAYS, rotation: s?.rotationReminderDays ?? DEFAULT_REMINDER_LEAD_DAYS };
  };
  const reminders = new ReminderScheduler({
    store: vault.due,
    nameOf: (id) => new NameBook(vault).refOrNull(id),
    notify: (notice) => events.emit('reminders:due', notice),
    now,
    timeZone,
    locale: opts.locale ?? new Intl.DateTimeFormat().resolvedOptions().locale,
    leadDays: opts.reminderLeadDays ?? leadDays,
  });
  const syncAdvice = (workspaceId?: string) => {
    try {
      syncProviderRotationDays(vault, opts.providerRotationDays ?? rotationAdvice(providers), workspaceId);
    } catch {
      // Advice is a default; failing to mirror it must not fail an unlock or an edit.
    }
  };
  vault.on('unlocked', () => syncAdvice());
  vault.on('changed', (c) => {
    if (c.entity === 'workspace') syncAdvice(c.id ?? undefined);
  });
  reminders.start();
  const scheduledBackups = new ScheduledBackups(vault, opts.home, { now });
  // A failed scheduled backup is shown like a reminder: a desktop notification (the vault is unlocked then).
  const backupScheduler = new BackupScheduler(vault, scheduledBackups, (n) => events.emit('reminders:due', { credentialId: null, ...n }));
  backupScheduler.start();
  const catalog = new Catalog(vault, providers);
  const revocation = new RevocationService(vault, requests);
  const tokenSync = new TokenSync(vault, requests, catalog, now);

  return {
    shell: opts.shell,
    vault,
    autoLock,
    events,
    clipboard,
    providers,
    catalog,
    arming,
    requests,
    revocation,
    tokenSync,
    rotation: new RotationService(vault, requests, revocation, tokenSync, now),
    transfer: new TransferService(vault, providers),
    testRunner: new TestRunner(vault, requests, events),
    probes: new ProbeService(vault, requests, events, now),
    scans: new ScanRunner(vault, events, opts.revealInFolder, new FolderGrants(opts.scanFolders ?? { kind: 'allowlist', roots: defaultScanRoots() })),
    reminders,
    scheduledBackups,
    probeKeychain: () => probeKeychain(opts.keyStore),
    dueClock: () => {
      const leads = leadDays();
      return { now: now(), timeZone: timeZone(), leadDays: { expiry: Math.max(...leads.expiry), rotation: Math.max(...leads.rotation) } };
    },
    close() {
      reminders.stop();
      backupScheduler.stop();
      clipboard?.clearIfPending();
      vault.close();
    },
  };
}
