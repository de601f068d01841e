import { Notification } from 'electron';
import type { EventMap } from '../../src-shared/ipc/contract';
import type { AppServices } from '../services/app-services';

/**
 * Native notifications for reminders. The text comes from the reminder
 * scheduler, which names no token while the vault is locked; a click brings
 * the window forward (the page, told by the same event, can open the token).
 */
export function showReminderNotifications(services: AppServices, showWindow: () => void): () => void {
  return services.events.subscribe((event, payload) => {
    if (event !== 'reminders:due' || !Notification.isSupported()) return;
    const { title, body } = payload as EventMap['reminders:due'];
    const notification = new Notification({ title, body });
    notification.on('click', showWindow);
    notification.show();
  });
}
