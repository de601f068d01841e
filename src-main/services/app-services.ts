import type { KeyStore } from '../vault/keychain';
import { Vault } from '../vault/vault';
import { Arming } from './arming';
import { AutoLock } from './auto-lock';
import { Catalog } from './catalog';
import { ProviderRegistry } from './provider-registry';
import { RequestService } from './request-service';
import { TestRunner } from './test-runner';
import { ClipboardService, type SystemClipboard } from './clipboard';
import { EventBus } from './event-bus';

export interface AppServicesOptions {
  home: string;
  keyStore: KeyStore;
  shell: 'electron' | 'browser';
  /** Electron's clipboard; absent in browser mode, where the page writes its own. */
  clipboard?: SystemClipboard;
  nativeBinding?: string;
  now?: () => number;
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
  testRunner: TestRunner;
  close(): void;
}

export function createAppServices(opts: AppServicesOptions): AppServices {
  const vault = Vault.open({
    home: opts.home,
    keyStore: opts.keyStore,
    ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
    ...(opts.now ? { now: opts.now } : {}),
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
  return {
    shell: opts.shell,
    vault,
    autoLock,
    events,
    clipboard,
    providers,
    catalog: new Catalog(vault, providers),
    arming,
    requests,
    testRunner: new TestRunner(vault, requests, events),
    close() {
      clipboard?.clearIfPending();
      vault.close();
    },
  };
}
