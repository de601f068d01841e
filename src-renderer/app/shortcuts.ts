import { useEffect } from 'react';
import { isModKey, isTypingTarget } from '../lib/keyboard';

/** An action the palette runs and a key starts: its words are what the palette matches. */
export interface AppAction {
  id: string;
  label: string;
  /** The key as shown in the help overlay and the palette. */
  keys: string;
  run: () => void;
}

/**
 * Presses a button of the page by its accessible name, inside `scope`: the
 * actions reuse the buttons the user sees (so they audit, confirm and report
 * exactly as a click does). False when there is none or it is disabled.
 */
export function pressButton(scope: string, name: string): boolean {
  const root = document.querySelector(scope);
  if (!root) return false;
  const button = [...root.querySelectorAll<HTMLButtonElement>('button')].find((b) => (b.getAttribute('aria-label') ?? b.textContent ?? '').trim() === name);
  if (!button || button.disabled) return false;
  button.click();
  return true;
}

/** True when every word of the query is in the label (case-insensitive). */
export function actionMatches(action: AppAction, query: string): boolean {
  const words = query.toLocaleLowerCase('en-US').split(/\s+/).filter(Boolean);
  const label = action.label.toLocaleLowerCase('en-US');
  return words.length > 0 && words.every((w) => label.includes(w));
}

/**
 * Single-key shortcuts (c, r, t, n, d, l, ?), as in mail and code-review
 * apps: only when no field has the focus, no dialog is open and no modifier
 * is held, so typing never triggers them.
 */
export function useSingleKeyShortcuts(actions: readonly AppAction[], enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || isModKey(e) || e.altKey || isTypingTarget(e.target) || document.querySelector('dialog[open]')) return;
      const action = actions.find((a) => a.keys === e.key);
      if (!action) return;
      e.preventDefault();
      action.run();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [actions, enabled]);
}
