import type { KeyStore } from '../vault/keychain';
import { Vault } from '../vault/vault';
import { AutoLock } from './auto-lock';
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
  vault.on('unlocked', () => events.emit('vault:unlocked', {}));
  vault.on('changed', (c) => events.emit('vault:changed', c));
  return {
    shell: opts.shell,
    vault,
    autoLock,
    events,
    clipboard,
    close() {
      clipboard?.clearIfPending();
      vault.close();
    },
  };
}
