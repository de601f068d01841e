// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { installFakeApi, uninstallFakeApi } from '../../../test/fake-api';
import { NotificationsSetting } from './notifications-setting';

const requestPermission = vi.fn(async () => {
  (window.Notification as unknown as { permission: string }).permission = 'granted';
  return 'granted' as NotificationPermission;
});

beforeEach(() => {
  localStorage.clear();
  requestPermission.mockClear();
  (window as unknown as { Notification: unknown }).Notification = { permission: 'default', requestPermission };
});

afterEach(() => {
  cleanup();
  uninstallFakeApi();
  delete (window as unknown as { Notification?: unknown }).Notification;
});

describe('the "Enable notifications" setting', () => {
  it('in browser mode, asks for permission on the click and remembers "on"', async () => {
    installFakeApi({}, 'browser');
    render(<NotificationsSetting />);
    const box = screen.getByRole('checkbox', { name: 'Enable notifications' }) as HTMLInputElement;
    expect(box.checked).toBe(false);
    expect(requestPermission).not.toHaveBeenCalled();
    fireEvent.click(box);
    await waitFor(() => expect(box.checked).toBe(true));
    expect(requestPermission).toHaveBeenCalledOnce();
    expect(localStorage.getItem('tokenvault.notifications')).toBe('on');
    fireEvent.click(box);
    await waitFor(() => expect(box.checked).toBe(false));
    expect(localStorage.getItem('tokenvault.notifications')).toBe('off');
  });

  it('in Electron, has no toggle: the app shows native notifications', () => {
    installFakeApi({}, 'electron');
    render(<NotificationsSetting />);
    expect(screen.queryByRole('checkbox')).toBeNull();
    expect(screen.getByText(/desktop notification/)).toBeTruthy();
  });
});
