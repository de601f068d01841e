// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { disableNotifications, enableNotifications, notificationState } from '../../../lib/notification-prefs';
import { installFakeApi, uninstallFakeApi } from '../../../test/fake-api';
import { startBrowserNotifications } from './browser-notifications';

class FakeNotification {
  static permission: NotificationPermission = 'default';
  static answer: NotificationPermission = 'granted';
  static shown: FakeNotification[] = [];
  static requestPermission = vi.fn(async () => {
    FakeNotification.permission = FakeNotification.answer;
    return FakeNotification.answer;
  });
  onclick: (() => void) | null = null;
  closed = false;
  constructor(
    readonly title: string,
    readonly options: NotificationOptions,
  ) {
    FakeNotification.shown.push(this);
  }
  close() {
    this.closed = true;
  }
}

beforeEach(() => {
  FakeNotification.permission = 'default';
  FakeNotification.answer = 'granted';
  FakeNotification.shown = [];
  FakeNotification.requestPermission.mockClear();
  (window as unknown as { Notification: unknown }).Notification = FakeNotification;
  localStorage.clear();
});

afterEach(() => {
  uninstallFakeApi();
  delete (window as unknown as { Notification?: unknown }).Notification;
});

const notice = { credentialId: 'cred_00000000000000000001', title: 'Token expires in 3 days', body: 'Acme/Production/Importer expires on Nov 26, 2026.' };

describe('browser notifications', () => {
  it('asks for permission only when enabled, and remembers the choice without any token name', async () => {
    expect(notificationState()).toBe('off');
    expect(FakeNotification.requestPermission).not.toHaveBeenCalled();
    expect(await enableNotifications()).toBe('on');
    expect(FakeNotification.requestPermission).toHaveBeenCalledOnce();
    expect(notificationState()).toBe('on');
    expect(Object.entries(localStorage)).toEqual([['tokenvault.notifications', 'on']]);
    disableNotifications();
    expect(notificationState()).toBe('off');
  });

  it('says "blocked" when the browser refuses', async () => {
    FakeNotification.answer = 'denied';
    expect(await enableNotifications()).toBe('blocked');
    expect(notificationState()).toBe('blocked');
  });

  it('shows reminders when enabled; a click focuses the window and opens the token', async () => {
    const fake = installFakeApi({}, 'browser');
    const onOpen = vi.fn();
    const focus = vi.spyOn(window, 'focus').mockImplementation(() => undefined);
    const stop = startBrowserNotifications(fake.api, onOpen);

    fake.emit('reminders:due', notice);
    expect(FakeNotification.shown).toHaveLength(0);

    await enableNotifications();
    fake.emit('reminders:due', notice);
    expect(FakeNotification.shown).toHaveLength(1);
    const n = FakeNotification.shown[0]!;
    expect(n.title).toBe(notice.title);
    expect(n.options.body).toBe(notice.body);
    n.onclick!();
    expect(focus).toHaveBeenCalled();
    expect(n.closed).toBe(true);
    expect(onOpen).toHaveBeenCalledWith(notice.credentialId);

    // A summary of several (or a locked vault's notice) only focuses.
    fake.emit('reminders:due', { credentialId: null, title: '3 tokens need attention', body: 'Open Tokenvault.' });
    FakeNotification.shown[1]!.onclick!();
    expect(onOpen).toHaveBeenCalledTimes(1);

    stop();
    fake.emit('reminders:due', notice);
    expect(FakeNotification.shown).toHaveLength(2);
  });

  it('does nothing in Electron, whose main process shows native notifications', async () => {
    const fake = installFakeApi({}, 'electron');
    await enableNotifications();
    startBrowserNotifications(fake.api, () => undefined);
    expect(fake.listenerCount('reminders:due')).toBe(0);
    fake.emit('reminders:due', notice);
    expect(FakeNotification.shown).toHaveLength(0);
  });
});
