import type { TokenvaultApi } from '../../../../src-shared/ipc/contract';
import { notificationState } from '../../../lib/notification-prefs';

/**
 * Shows `reminders:due` as Web Notifications in browser mode, when the user
 * enabled them. Electron's main process already shows native ones, so there
 * this does nothing. A click brings the window forward and, for a notice
 * about one token, opens it. Returns the unsubscribe.
 */
export function startBrowserNotifications(api: TokenvaultApi, onOpen: (credentialId: string) => void): () => void {
  if (api.shell === 'electron') return () => undefined;
  return api.on('reminders:due', ({ credentialId, title, body }) => {
    if (notificationState() !== 'on') return;
    // The tag folds repeats about one token into one notification.
    const n = new Notification(title, { body, tag: credentialId ?? 'tokenvault-reminders' });
    n.onclick = () => {
      window.focus();
      n.close();
      if (credentialId) onOpen(credentialId);
    };
  });
}
