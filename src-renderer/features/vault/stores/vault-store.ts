import { create } from 'zustand';
import type { KeySource } from '../../../../src-shared/domain/schemas';
import type { VaultStatus } from '../../../../src-shared/domain/types';
import type { EventMap } from '../../../../src-shared/ipc/contract';
import { call } from '../../../lib/api';
import { errorMessage } from '../../../lib/errors';

export type LockReason = EventMap['vault:locked']['reason'];

/**
 * The vault's state as the shell routes on it: first run, locked or unlocked.
 * It holds nothing decrypted (an id and the key source), so it survives a lock.
 */
interface VaultStoreState {
  status: VaultStatus | null;
  /** Why the status could not be read (Tokenvault not running…). */
  loadError: string | null;
  /** Why the vault last locked, for the unlock screen to say ("after 10 minutes idle"). */
  lockReason: LockReason | null;
  actions: {
    refresh(): Promise<void>;
    /** Throws ApiError for the form to show. */
    create(keySource: KeySource, passphrase?: string): Promise<void>;
    /** Throws ApiError for the form to show. */
    unlock(passphrase?: string): Promise<void>;
    lock(): Promise<void>;
    /** The vault locked (event, or a call that answered LOCKED). */
    markLocked(reason: LockReason | null): void;
  };
}

export const useVaultStore = create<VaultStoreState>()((set, get) => ({
  status: null,
  loadError: null,
  lockReason: null,
  actions: {
    async refresh() {
      try {
        const status = await call('vault:get-status', {});
        set({ status, loadError: null });
      } catch (e) {
        set({ loadError: errorMessage(e) });
      }
    },
    async create(keySource, passphrase) {
      const status = await call('vault:create', passphrase === undefined ? { keySource } : { keySource, passphrase });
      set({ status, lockReason: null });
    },
    async unlock(passphrase) {
      const status = await call('vault:unlock', passphrase === undefined ? {} : { passphrase });
      set({ status, lockReason: null });
    },
    async lock() {
      try {
        const status = await call('vault:lock', {});
        set({ status, lockReason: 'user' });
      } catch {
        // Locking must never leave the UI showing secrets: treat it as locked and re-read.
        get().actions.markLocked('user');
        void get().actions.refresh();
      }
    },
    markLocked(reason) {
      const { status } = get();
      if (status && status.state === 'unlocked') set({ status: { ...status, state: 'locked' }, lockReason: reason });
      else if (reason) set({ lockReason: reason });
    },
  },
}));

export const vaultSelectors = {
  state: (s: VaultStoreState) => s.status?.state ?? null,
  keySource: (s: VaultStoreState) => s.status?.keySource ?? null,
  loadError: (s: VaultStoreState) => s.loadError,
  lockReason: (s: VaultStoreState) => s.lockReason,
  actions: (s: VaultStoreState) => s.actions,
};
