/** The system clipboard as the Electron shell provides it. */
export interface SystemClipboard {
  writeText(text: string): void;
  readText(): string;
}

/**
 * Copies a value and clears it after a delay — but only if the clipboard still
 * holds that value, so whatever the user copied since is left alone.
 */
export class ClipboardService {
  private pending: { timer: ReturnType<typeof setTimeout>; value: string } | null = null;

  constructor(private readonly clipboard: SystemClipboard) {}

  copy(value: string, clearAfterSeconds: number): void {
    this.cancel();
    this.clipboard.writeText(value);
    const timer = setTimeout(() => this.clearIfPending(), clearAfterSeconds * 1000);
    timer.unref?.();
    this.pending = { timer, value };
  }

  /** When the delay ends, on lock and on quit. */
  clearIfPending(): void {
    const p = this.pending;
    if (!p) return;
    this.cancel();
    if (this.clipboard.readText() === p.value) this.clipboard.writeText('');
  }

  private cancel(): void {
    if (this.pending) clearTimeout(this.pending.timer);
    this.pending = null;
  }
}
