import { useEffect, useState, type FormEvent } from 'react';
import type { BackupScheduleView } from '../../../../src-shared/domain/backup-schedule';
import { call } from '../../../lib/api';
import { errorMessage, issuesForForm } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { Button } from '../../../components/ui/button';
import { DialogBody, DialogFooter } from '../../../components/ui/dialog';
import { Field, FormError } from '../../../components/ui/field';

const LABELS = { folder: 'Folder', every: 'Every', keep: 'Keep the last', passphrase: 'Backup passphrase' };

/**
 * Scheduled backups (issue 14): a folder on this computer, how often, how
 * many to keep. Tokenvault makes them while the vault is unlocked, and this
 * section shows how the last one went. Self-contained (its own form and
 * footer), so it can sit in the transfer dialog or in Settings.
 */
export function BackupScheduleSection({ onClose }: { onClose: () => void }) {
  const [view, setView] = useState<BackupScheduleView | null | undefined>(undefined);
  const [folder, setFolder] = useState('');
  const [every, setEvery] = useState('1d');
  const [keep, setKeep] = useState('7');
  const [pass, setPass] = useState('');
  const [again, setAgain] = useState('');
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState<'save' | 'run' | 'off' | null>(null);

  function show(v: BackupScheduleView | null) {
    setView(v);
    if (v) {
      setFolder(v.folder);
      setEvery(v.every);
      setKeep(String(v.keep));
    }
  }

  useEffect(() => {
    call('backup:get-schedule', {})
      .then(show)
      .catch((e: unknown) => {
        setView(null);
        setError(errorMessage(e));
      });
  }, []);

  async function save(e: FormEvent) {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (!/^\d{1,4}$/.test(keep.trim())) local.keep = 'Keep the last must be a whole number from 1 to 1000.';
    if (!view && !pass) local.passphrase = 'A scheduled backup needs a backup passphrase.';
    if (pass !== again) local.again = 'The two passphrases differ.';
    setFields(local);
    if (Object.keys(local).length > 0) return;
    setBusy('save');
    setError(null);
    setDone(null);
    try {
      const v = await call('backup:set-schedule', { folder: folder.trim(), every: every.trim(), keep: Number(keep.trim()), ...(pass ? { passphrase: pass } : {}) });
      show(v);
      setPass('');
      setAgain('');
      setDone(`Saved: a backup every ${v.every} to ${v.folder}, keeping the last ${v.keep}.`);
    } catch (err) {
      const r = issuesForForm(err, LABELS);
      setFields(r.fields);
      setError(r.form);
    } finally {
      setBusy(null);
    }
  }

  async function runNow() {
    setBusy('run');
    setError(null);
    setDone(null);
    try {
      const r = await call('backup:run-scheduled', {});
      show(r.schedule);
      setDone(`Backed up to ${r.file ?? ''}${r.removed ? `; ${r.removed} older scheduled backup${r.removed === 1 ? '' : 's'} removed` : ''}.`);
    } catch (err) {
      setError(errorMessage(err));
      call('backup:get-schedule', {}).then(show, () => {});
    } finally {
      setBusy(null);
    }
  }

  async function turnOff() {
    setBusy('off');
    setError(null);
    setDone(null);
    try {
      await call('backup:clear-schedule', {});
      setView(null);
      setDone('Scheduled backups are off. Backups already written stay in their folder.');
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(null);
    }
  }

  return (
    <form onSubmit={save} noValidate aria-label="Scheduled backup">
      <DialogBody>
        <p className="muted">
          A backup to a folder of this computer at a fixed interval, made while the vault is unlocked, keeping the last few. Choose a folder on another disk or
          a synced folder. Only files named <code>tokenvault-auto-…</code> of this vault are ever deleted there.
        </p>
        {view === undefined ? <p className="muted">Loading…</p> : null}
        {view ? <ScheduleStatus view={view} /> : view === null ? <p role="status">No scheduled backup is set.</p> : null}
        <Field label={LABELS.folder} error={fields.folder} hint="The full path of an existing folder, e.g. /home/you/Backups.">
          {(p) => <input {...p} className="input" value={folder} spellCheck={false} onChange={(e) => setFolder(e.currentTarget.value)} />}
        </Field>
        <Field label={LABELS.every} error={fields.every} hint="12h, 1d, 1w… (at least 1h).">
          {(p) => <input {...p} className="input schedule-number" value={every} onChange={(e) => setEvery(e.currentTarget.value)} />}
        </Field>
        <Field label={LABELS.keep} error={fields.keep} hint="Older scheduled backups are deleted (1 to 1000).">
          {(p) => <input {...p} className="input schedule-number" inputMode="numeric" value={keep} onChange={(e) => setKeep(e.currentTarget.value)} />}
        </Field>
        <Field
          label={LABELS.passphrase}
          error={fields.passphrase}
          hint={view ? 'Leave empty to keep the current one. Stored encrypted under the vault key.' : 'At least 10 characters; you need it to restore. Stored encrypted under the vault key.'}
        >
          {(p) => <input {...p} className="input" type="password" autoComplete="new-password" value={pass} onChange={(e) => setPass(e.currentTarget.value)} />}
        </Field>
        <Field label="Repeat the passphrase" error={fields.again}>
          {(p) => <input {...p} className="input" type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.currentTarget.value)} />}
        </Field>
        {done ? <p role="status">{done}</p> : null}
        <FormError>{error}</FormError>
      </DialogBody>
      <DialogFooter>
        <Button onClick={onClose}>Close</Button>
        {view ? (
          <>
            <Button busy={busy === 'off'} disabled={busy !== null} onClick={() => void turnOff()}>
              Turn off
            </Button>
            <Button busy={busy === 'run'} disabled={busy !== null} onClick={() => void runNow()}>
              Back up now
            </Button>
          </>
        ) : null}
        <Button type="submit" variant="primary" busy={busy === 'save'} disabled={busy !== null || !folder.trim()}>
          Save schedule
        </Button>
      </DialogFooter>
    </form>
  );
}

/** How the schedule stands: its last success, its last failure (in words), and when the next one is due. */
export function ScheduleStatus({ view: v }: { view: BackupScheduleView }) {
  return (
    <section aria-label="Scheduled backup status" className="transfer-summary">
      <p>
        Every {v.every} to <code>{v.folder}</code>, keeping the last {v.keep}.
      </p>
      <p>
        Last backup: {v.lastSuccessAt === null ? 'none yet' : formatDateTime(v.lastSuccessAt)}
        {v.lastOutcome === 'ok' && v.lastFile ? (
          <>
            {' '}
            (<code>{v.lastFile}</code>)
          </>
        ) : null}
      </p>
      {v.lastOutcome === 'failed' ? (
        <p role="alert">
          The last scheduled backup failed{v.lastAttemptAt !== null ? ` (${formatDateTime(v.lastAttemptAt)})` : ''}: {v.lastError}
        </p>
      ) : null}
      <p className="muted">Next: {v.nextDueAt <= Date.now() ? 'within a minute while the vault is unlocked' : formatDateTime(v.nextDueAt)}</p>
    </section>
  );
}
