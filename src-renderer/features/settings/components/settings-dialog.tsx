import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { THEMES, type Settings, type Theme } from '../../../../src-shared/domain/schemas';
import { errorMessage, issuesForForm } from '../../../lib/errors';
import { call } from '../../../lib/api';
import { applyTheme } from '../../../lib/appearance';
import { Button } from '../../../components/ui/button';
import { Dialog, DialogBody, DialogFooter } from '../../../components/ui/dialog';
import { Field, FormError } from '../../../components/ui/field';
import { useVaultStore, vaultSelectors } from '../../vault/stores/vault-store';
import { useWorkspacesStore, workspacesSelectors } from '../../workspaces/stores/workspaces-store';
import { settingsSelectors, useSettingsStore } from '../stores/settings-store';
import { KeySection } from './key-section';
import { NotificationsSetting } from './notifications-setting';
import './settings.css';

/** The number fields of "Locking and secrets". */
type NumberSetting = 'autoLockMinutes' | 'clipboardClearSeconds' | 'revealSeconds';
type ListSetting = 'expiryReminderDays' | 'rotationReminderDays';

const LABELS: Record<NumberSetting | ListSetting | 'timeZone' | 'workspaceRotationDays', string> = {
  autoLockMinutes: 'Auto-lock after (minutes)',
  clipboardClearSeconds: 'Clear clipboard after (seconds)',
  revealSeconds: 'Hide revealed values after (seconds)',
  expiryReminderDays: 'Expiry reminders (days before)',
  rotationReminderDays: 'Rotation reminders (days before)',
  timeZone: 'Time zone',
  workspaceRotationDays: 'Default rotation period (days)',
};

const HINTS: Record<NumberSetting, string> = {
  autoLockMinutes: 'Locks the vault when you have not used Tokenvault for this long. 0 turns auto-lock off.',
  clipboardClearSeconds: 'A copied token is cleared from the clipboard after this long, unless you copied something else since. 5 to 600.',
  revealSeconds: 'How long a revealed value stays on screen. 3 to 120.',
};

const NUMBER_KEYS: NumberSetting[] = ['autoLockMinutes', 'clipboardClearSeconds', 'revealSeconds'];
const LIST_KEYS: ListSetting[] = ['expiryReminderDays', 'rotationReminderDays'];

const THEME_LABELS: Record<Theme, string> = { system: 'System', light: 'Light', dark: 'Dark' };

type Values = Record<NumberSetting | ListSetting | 'timeZone' | 'workspaceRotationDays', string>;

function systemZone(): string {
  return new Intl.DateTimeFormat('en-US').resolvedOptions().timeZone || 'UTC';
}

/** Every zone the runtime knows (IANA names), for the Time zone field. */
function zoneNames(): string[] {
  const supported = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf;
  const names = supported ? supported('timeZone') : [];
  return names.includes('UTC') ? names : ['UTC', ...names];
}

/** "14, 3, 1" → [14, 3, 1]; null when it is not a list of whole numbers. */
function parseDays(text: string): number[] | null {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  if (parts.length === 0 || parts.some((p) => !/^\d+$/.test(p))) return null;
  return parts.map(Number);
}

/**
 * Settings (issue 12): the theme (applied and saved at once), the time zone
 * every date is shown in, reminder lead times, the active workspace's default
 * rotation period, locking and clipboard times, and the vault key (its own
 * form: KeySection). Everything but the theme and the key is saved with Save.
 * Backups (issue 14): the scheduled backup and the emergency kit live in
 * Backup & import; Settings points there with `onOpenBackups`, so a user who
 * looks for them in Settings finds them.
 */
export function SettingsDialog({ onClose, onOpenBackups }: { onClose: () => void; onOpenBackups?: (tab: 'schedule' | 'backup') => void }) {
  const settings = useSettingsStore(settingsSelectors.settings);
  const { load, update } = useSettingsStore(settingsSelectors.actions);
  const workspace = useWorkspacesStore(workspacesSelectors.activeWorkspace);
  const keySource = useVaultStore(vaultSelectors.keySource);
  const [values, setValues] = useState<Values | null>(null);
  const [policy, setPolicy] = useState<{ rotationDays: number | null; providerRotationDays: number | null } | null>(null);
  const [keepSessions, setKeepSessions] = useState(false);
  const [theme, setTheme] = useState<Theme>('system');
  const [fields, setFields] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const formId = useId();
  const themeName = useId();
  const zones = useMemo(zoneNames, []);

  useEffect(() => {
    load().catch((e: unknown) => setFormError(errorMessage(e)));
  }, [load]);

  useEffect(() => {
    if (!workspace) return;
    let live = true;
    call('workspaces:rotation-policy', { id: workspace.id })
      .then((p) => {
        if (live) setPolicy(p);
      })
      .catch(() => {
        if (live) setPolicy({ rotationDays: null, providerRotationDays: null });
      });
    return () => {
      live = false;
    };
  }, [workspace]);

  useEffect(() => {
    if (settings && values === null && (policy !== null || !workspace)) {
      setValues({
        autoLockMinutes: String(settings.autoLockMinutes),
        clipboardClearSeconds: String(settings.clipboardClearSeconds),
        revealSeconds: String(settings.revealSeconds),
        expiryReminderDays: settings.expiryReminderDays.join(', '),
        rotationReminderDays: settings.rotationReminderDays.join(', '),
        timeZone: settings.timeZone ?? '',
        workspaceRotationDays: policy?.rotationDays === null || policy === null ? '' : String(policy.rotationDays),
      });
      setKeepSessions(settings.keepCliSessionsOnLock);
      setTheme(settings.theme);
    }
  }, [settings, values, policy, workspace]);

  const set = (key: keyof Values) => (text: string) => setValues((prev) => (prev ? { ...prev, [key]: text } : prev));

  async function chooseTheme(next: Theme) {
    setTheme(next);
    applyTheme(next);
    try {
      await update({ theme: next });
    } catch (e) {
      setFormError(errorMessage(e));
    }
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!values) return;
    const patch: Partial<Settings> = { keepCliSessionsOnLock: keepSessions, timeZone: values.timeZone === '' ? null : values.timeZone };
    const local: Record<string, string> = {};
    for (const key of NUMBER_KEYS) {
      const text = values[key].trim();
      if (!/^\d+$/.test(text)) local[key] = `${LABELS[key]} must be a whole number.`;
      else patch[key] = Number(text);
    }
    for (const key of LIST_KEYS) {
      const days = parseDays(values[key]);
      if (days === null) local[key] = `${LABELS[key]}: whole numbers of days, separated by commas (e.g. 14, 3, 1).`;
      else patch[key] = days;
    }
    const rotationText = values.workspaceRotationDays.trim();
    const rotationDays = rotationText === '' ? null : /^\d+$/.test(rotationText) ? Number(rotationText) : NaN;
    if (Number.isNaN(rotationDays) || rotationDays === 0 || (rotationDays !== null && rotationDays > 3650)) {
      local.workspaceRotationDays = 'The rotation period is a whole number of days from 1 to 3,650, or empty for none.';
    }
    if (Object.keys(local).length > 0) {
      setFields(local);
      return;
    }
    setBusy(true);
    setFormError(null);
    try {
      await update(patch);
      if (workspace && policy && rotationDays !== policy.rotationDays) {
        await call('workspaces:set-rotation-days', { id: workspace.id, rotationDays });
      }
      onClose();
    } catch (err) {
      const r = issuesForForm(err, LABELS);
      setFields(r.fields);
      setFormError(r.form);
      setBusy(false);
    }
  }

  const number = (key: NumberSetting, autoFocus = false) => (
    <Field key={key} label={LABELS[key]} error={fields[key]} hint={HINTS[key]}>
      {(p) => <input {...p} className="input settings-number" inputMode="numeric" autoFocus={autoFocus} value={values?.[key] ?? ''} onChange={(e) => set(key)(e.currentTarget.value)} />}
    </Field>
  );

  return (
    <Dialog title="Settings" subtitle="How Tokenvault looks, when it reminds you, and how the vault is locked." size="md" onClose={onClose} className="settings-dialog">
      <DialogBody>
        <section className="settings-section" aria-labelledby="settings-appearance">
          <h3 id="settings-appearance" className="settings-section-title">
            Appearance
          </h3>
          <div role="radiogroup" aria-label="Theme" className="settings-theme">
            {THEMES.map((t) => (
              <label key={t} className={`settings-theme-option${theme === t ? ' is-checked' : ''}`}>
                <input type="radio" name={themeName} value={t} checked={theme === t} disabled={settings === null} onChange={() => void chooseTheme(t)} />
                {THEME_LABELS[t]}
              </label>
            ))}
          </div>
          <p className="field-hint">System follows your operating system’s light or dark mode. Applies at once.</p>
        </section>

        {values === null ? (
          <p className="muted">{formError ? '' : 'Loading…'}</p>
        ) : (
          <form id={formId} onSubmit={submit} noValidate>
            <section className="settings-section" aria-labelledby="settings-dates">
              <h3 id="settings-dates" className="settings-section-title">
                Dates and reminders
              </h3>
              <Field label={LABELS.timeZone} error={fields.timeZone} hint="Every date and time in Tokenvault is shown in this zone, and date-only expiries end at midnight there.">
                {(p) => (
                  <select {...p} className="select settings-zone" value={values.timeZone} onChange={(e) => set('timeZone')(e.currentTarget.value)}>
                    <option value="">System ({systemZone()})</option>
                    {zones.map((z) => (
                      <option key={z} value={z}>
                        {z}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <div className="settings-pair">
                {LIST_KEYS.map((key) => (
                  <Field key={key} label={LABELS[key]} error={fields[key]}>
                    {(p) => <input {...p} className="input settings-days" value={values[key]} onChange={(e) => set(key)(e.currentTarget.value)} />}
                  </Field>
                ))}
              </div>
              <p className="field-hint">A reminder as each is crossed, and one when the date passes. Within the largest number of days a token shows as due soon. Up to 5 numbers, 1 to 365.</p>
              {workspace ? (
                <Field
                  label={LABELS.workspaceRotationDays}
                  error={fields.workspaceRotationDays}
                  hint={
                    <>
                      For tokens in <strong>{workspace.name}</strong> that have no rotation period of their own. Empty: none
                      {policy?.providerRotationDays ? ` (the provider advises every ${policy.providerRotationDays} days, which applies then)` : ''}.
                    </>
                  }
                >
                  {(p) => (
                    <input {...p} className="input settings-number" inputMode="numeric" placeholder="none" value={values.workspaceRotationDays} onChange={(e) => set('workspaceRotationDays')(e.currentTarget.value)} />
                  )}
                </Field>
              ) : null}
              <NotificationsSetting />
            </section>

            <section className="settings-section" aria-labelledby="settings-locking">
              <h3 id="settings-locking" className="settings-section-title">
                Locking and secrets
              </h3>
              <div className="settings-triple">{NUMBER_KEYS.map((k) => number(k))}</div>
              <label className="settings-check">
                <input type="checkbox" checked={keepSessions} onChange={(e) => setKeepSessions(e.currentTarget.checked)} /> Keep{' '}
                <code>tokenvault unlock</code> sessions open when the app locks
              </label>
            </section>
          </form>
        )}
        <KeySection />
        {onOpenBackups ? (
          <section className="settings-section" aria-labelledby="settings-backups">
            <h3 id="settings-backups" className="settings-section-title">
              Backups
            </h3>
            <p className="field-hint">
              A backup to a folder at a fixed interval, keeping the last few{keySource === 'passphrase' ? ', and an emergency kit to print for this passphrase vault' : ''}. Both are in
              Backup &amp; import.
            </p>
            <div className="settings-backups">
              <Button onClick={() => onOpenBackups('schedule')}>
                Scheduled backup…
              </Button>
              {keySource === 'passphrase' ? (
                <Button onClick={() => onOpenBackups('backup')}>
                  Emergency kit…
                </Button>
              ) : null}
            </div>
          </section>
        ) : null}
        <FormError>{formError}</FormError>
      </DialogBody>
      <DialogFooter>
        <Button onClick={onClose}>Cancel</Button>
        <Button type="submit" form={formId} variant="primary" busy={busy} disabled={values === null}>
          Save
        </Button>
      </DialogFooter>
    </Dialog>
  );
}
