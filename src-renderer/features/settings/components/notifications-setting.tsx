import { useState } from 'react';
import { CheckboxField } from '../../../components/ui/field';
import { getApi } from '../../../lib/api';
import { disableNotifications, enableNotifications, notificationState, type NotificationState } from '../../../lib/notification-prefs';

const HINTS: Record<NotificationState, string> = {
  on: 'A notification when a token is about to expire or is due for rotation (the days set above, and when the date passes), while this page is open.',
  off: 'Your browser asks for permission when you turn this on.',
  blocked: 'Your browser blocks notifications for this page. Allow them in the site settings (the icon left of the address), then turn this on again.',
  unsupported: 'This browser cannot show notifications.',
};

/**
 * "Enable notifications" for browser mode: permission is asked for only
 * here, in the click itself. Electron shows native notifications on its own.
 */
export function NotificationsSetting() {
  const [state, setState] = useState<NotificationState>(() => notificationState());
  if (getApi().shell === 'electron') {
    return <p className="field-hint">Tokenvault shows a desktop notification before a token expires or is due for rotation.</p>;
  }
  return (
    <CheckboxField
      label="Enable notifications"
      checked={state === 'on'}
      hint={HINTS[state]}
      onChange={(checked) => {
        if (checked) void enableNotifications().then(setState);
        else {
          disableNotifications();
          setState('off');
        }
      }}
    />
  );
}
