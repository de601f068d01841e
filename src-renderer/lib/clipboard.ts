/**
 * Browser mode writes the clipboard itself (Electron's main process does it
 * there). A copied secret is cleared after a delay — but only if the
 * clipboard still holds it, so whatever the user copied since is left alone.
 * When the page may not read the clipboard, it clears anyway: leaving a
 * secret behind is the worse mistake.
 *
 * The pending value lives in this module's closure only (never in a store),
 * and independently of any component: moving to another token must not
 * cancel the clearing.
 */

interface Pending {
  timer: ReturnType<typeof setTimeout>;
  value: string;
}

let pending: Pending | null = null;

function clipboard(): Clipboard {
  if (!navigator.clipboard) throw new Error('no clipboard');
  return navigator.clipboard;
}

export async function copyWithAutoClear(value: string, clearAfterSeconds: number): Promise<void> {
  cancel();
  await clipboard().writeText(value);
  const timer = setTimeout(() => void clearPendingClipboard(), clearAfterSeconds * 1000);
  pending = { timer, value };
}

/** When the delay ends, and at once when the vault locks. */
export async function clearPendingClipboard(): Promise<void> {
  const p = pending;
  if (!p) return;
  cancel();
  let current: string | null;
  try {
    current = await clipboard().readText();
  } catch {
    current = null; // not permitted to read: clear regardless
  }
  if (current === null || current === p.value) {
    try {
      await clipboard().writeText('');
    } catch {
      // The page lost focus or permission; nothing more can be done from here.
    }
  }
}

export function hasPendingClipboard(): boolean {
  return pending !== null;
}

function cancel(): void {
  if (pending) clearTimeout(pending.timer);
  pending = null;
}
