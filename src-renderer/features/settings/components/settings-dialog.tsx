import { useEffect, useState, type FormEvent } from 'react';
import type { Settings } from '../../../../src-shared/domain/schemas';
import { errorMessage, issuesForForm } from '../../../lib/errors';
import { Button } from '../../../components/ui/button';
import { Dialog, DialogBody, DialogFooter } from '../../../components/ui/dialog';
import { Field, FormError } from '../../../components/ui/field';
import { settingsSelectors, useSettingsStore } from '../stores/settings-store';
import { NotificationsSetting } from './notifications-setting';
import './settings.css';

/** The number fields this dialog edits (keepRevokedSecrets is a switch, not shown here yet; keepCliSessionsOnLock is the checkbox below). */
type NumberSetting = Exclude<keyof Settings, 'keepRevokedSecrets' | 'keepCliSessionsOnLock'>;

const LABELS: Record<NumberSetting, string> = {
  autoLockMinutes: 'Auto-lock after (minutes)',
  clipboardClearSeconds: 'Clear clipboard after (seconds)',
  revealSeconds: 'Hide revealed values after (seconds)',
};

const HINTS: Record<NumberSetting, string> = {
  autoLockMinutes: 'Locks the vault when you have not used Tokenvault for this long. 0 turns auto-lock off.',
  clipboardClearSeconds: 'A copied token is cleared from the clipboard after this long, unless you copied something else since. 5 to 600.',
  revealSeconds: 'How long a revealed value stays on screen. 3 to 120.',
};

const KEYS = Object.keys(LABELS) as NumberSetting[];

export function SettingsDialog({ onClose }: { onClose: () => void }) {
  const settings = useSettingsStore(settingsSelectors.settings);
  const { load, update } = useSettingsStore(settingsSelectors.actions);
  const [values, setValues] = useState<Record<NumberSetting, string> | null>(null);
  const [keepSessions, setKeepSessions] = useState(false);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    load().catch((e: unknown) => setFormError(errorMessage(e)));
  }, [load]);

  useEffect(() => {
    if (settings && values === null) {
      setValues({
        autoLockMinutes: String(settings.autoLockMinutes),
        clipboardClearSeconds: String(settings.clipboardClearSeconds),
        revealSeconds: String(settings.revealSeconds),
      });
      setKeepSessions(settings.keepCliSessionsOnLock);
    }
  }, [settings, values]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!values) return;
    const patch: Partial<Settings> = { keepCliSessionsOnLock: keepSessions };
    const local: Record<string, string> = {};
    for (const key of KEYS) {
      const text = values[key].trim();
      if (!/^\d+$/.test(text)) local[key] = `${LABELS[key]} must be a whole number.`;
      else patch[key] = Number(text);
    }
    if (Object.keys(local).length > 0) {
      setFields(local);
      return;
    }
    setBusy(true);
    setFormError(null);
    try {
      await update(patch);
      onClose();
    } catch (err) {
      const r = issuesForForm(err, LABELS);
      setFields(r.fields);
      setFormError(r.form);
      setBusy(false);
    }
  }

  return (
    <Dialog title="Settings" subtitle="How long secrets stay exposed, and when the vault locks itself." size="sm" onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <DialogBody>
          {values === null ? (
            <p className="muted">{formError ? '' : 'Loading…'}</p>
          ) : (
            KEYS.map((key, i) => (
              <Field key={key} label={LABELS[key]} error={fields[key]} hint={HINTS[key]}>
                {(p) => (
                  <input
                    {...p}
                    className="input settings-number"
                    inputMode="numeric"
                    autoFocus={i === 0}
                    value={values[key]}
                    onChange={(e) => {
                      const text = e.currentTarget.value;
                      setValues((prev) => (prev ? { ...prev, [key]: text } : prev));
                    }}
                  />
                )}
              </Field>
            ))
          )}
          {values !== null && (
            <label className="settings-check">
              <input type="checkbox" checked={keepSessions} onChange={(e) => setKeepSessions(e.currentTarget.checked)} /> Keep{' '}
              <code>tokenvault unlock</code> sessions open when the app locks
            </label>
          )}
          <NotificationsSetting />
          <FormError>{formError}</FormError>
        </DialogBody>
        <DialogFooter>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy} disabled={values === null}>
            Save
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
