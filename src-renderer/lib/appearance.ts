import { create } from 'zustand';
import type { Theme } from '../../src-shared/domain/schemas';
import { setDisplayTimeZone } from './format';

/**
 * The look and the dates of the whole app (issue 12's Settings): the theme
 * (system / light / dark) and the time zone every date is shown in. Both come
 * from the vault's settings (readable while locked), are applied at once
 * without a reload, and the theme is remembered in localStorage as a hint so
 * the next start paints in it before the settings arrive. Nothing here is secret.
 */

const THEME_HINT = 'tokenvault.theme';
const DARK_QUERY = '(prefers-color-scheme: dark)';

let chosen: Theme = 'system';
let listening = false;

function systemPrefersDark(): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia(DARK_QUERY).matches;
}

/** `data-theme` on <html> is always the resolved look ('light' or 'dark'); tokens.css keys the dark palette on it. */
function paint(): void {
  const resolved = chosen === 'system' ? (systemPrefersDark() ? 'dark' : 'light') : chosen;
  document.documentElement.dataset.theme = resolved;
  document.documentElement.dataset.themeChoice = chosen;
}

/** Applies a theme now; `system` follows the OS (and its changes) from then on. */
export function applyTheme(theme: Theme): void {
  chosen = theme;
  try {
    localStorage.setItem(THEME_HINT, theme);
  } catch {
    // Storage may be off; the settings still apply the theme on every start.
  }
  if (!listening && typeof window.matchMedia === 'function') {
    listening = true;
    window.matchMedia(DARK_QUERY).addEventListener('change', () => paint());
  }
  paint();
}

/** Before the first render: the theme remembered from last time, else the OS's. */
export function initTheme(): void {
  let hint: string | null;
  try {
    hint = localStorage.getItem(THEME_HINT);
  } catch {
    hint = null;
  }
  applyTheme(hint === 'light' || hint === 'dark' ? hint : 'system');
}

interface AppearanceState {
  /** The zone dates are shown in; null means the OS's. Components that show dates re-render when it changes. */
  timeZone: string | null;
}

export const useAppearanceStore = create<AppearanceState>()(() => ({ timeZone: null }));

/** Shows every date in `timeZone` (an IANA name) from now on; null: the OS's zone. */
export function applyTimeZone(timeZone: string | null): void {
  if (useAppearanceStore.getState().timeZone === timeZone) return;
  setDisplayTimeZone(timeZone);
  useAppearanceStore.setState({ timeZone });
}

/** Applies what the settings say about the look and the dates. */
export function applyAppearance(settings: { theme: Theme; timeZone: string | null }): void {
  if (settings.theme !== chosen || document.documentElement.dataset.theme === undefined) applyTheme(settings.theme);
  applyTimeZone(settings.timeZone);
}
