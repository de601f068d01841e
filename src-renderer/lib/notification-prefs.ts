/**
 * Browser mode's "Enable notifications" choice. Only the choice is kept in
 * localStorage ("on" / "off") — never a token's name or anything from the
 * vault. Electron shows native notifications from the main process instead.
 */
const KEY = 'tokenvault.notifications';

export type NotificationState = 'unsupported' | 'off' | 'on' | 'blocked';

export function notificationsSupported(): boolean {
  return typeof window !== 'undefined' && 'Notification' in window;
}

export function notificationState(): NotificationState {
  if (!notificationsSupported()) return 'unsupported';
  if (Notification.permission === 'denied') return 'blocked';
  return localStorage.getItem(KEY) === 'on' && Notification.permission === 'granted' ? 'on' : 'off';
}

/** Must run inside a user gesture (the toggle's change): only then may a page ask for permission. */
export async function enableNotifications(): Promise<NotificationState> {
  if (!notificationsSupported()) return 'unsupported';
  const permission = Notification.permission === 'granted' ? 'granted' : await Notification.requestPermission();
  if (permission === 'granted') {
    localStorage.setItem(KEY, 'on');
    return 'on';
  }
  localStorage.setItem(KEY, 'off');
  return permission === 'denied' ? 'blocked' : 'off';
}

export function disableNotifications(): void {
  localStorage.setItem(KEY, 'off');
}
