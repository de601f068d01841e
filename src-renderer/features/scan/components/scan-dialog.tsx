import { useEffect, useRef, useState } from 'react';
import type { ScanReport } from '../../../../src-shared/domain/scan-types';
import type { EventMap } from '../../../../src-shared/ipc/contract';
import { Button } from '../../../components/ui/button';
import { Dialog, DialogBody, DialogFooter } from '../../../components/ui/dialog';
import { CheckboxField, Field, FormError } from '../../../components/ui/field';
import { call, getApi } from '../../../lib/api';
import { followRun, type FollowedRun } from '../../../lib/follow-run';
import { errorMessage } from '../../../lib/errors';
import './scan.css';

type Phase = { kind: 'idle' } | { kind: 'running'; runId: string; files: number; bytes: number; current: string } | { kind: 'done'; runId: string; report: ScanReport } | { kind: 'cancelled' };

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/**
 * "Scan a folder" (issue 13): the leak scanner over a folder, with progress
 * and cancel, and for each finding "Reveal in file manager" and "Revoke this
 * token" (which opens the token, where its revoke panel is).
 */
export function ScanDialog({ onClose, onOpenToken }: { onClose: () => void; onOpenToken: (credentialId: string) => void }) {
  // issue 12: the main process hands out the folder (a handle); the page never names a path to scan.
  // Electron: its folder picker. Browser mode: a typed path the server checks against its allowed roots.
  const picker = getApi().shell === 'electron';
  const [path, setPath] = useState('');
  const [picked, setPicked] = useState<{ folder: string; path: string } | null>(null);
  const [noIgnore, setNoIgnore] = useState(false);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [error, setError] = useState<string | null>(null);
  const runRef = useRef<string | null>(null);

  const following = useRef<FollowedRun | null>(null);

  useEffect(
    () => () => {
      following.current?.stop();
      // Leaving the dialog stops a scan still running.
      if (runRef.current) void call('scan:cancel', { runId: runRef.current }).catch(() => undefined);
    },
    [],
  );

  function finish(f: EventMap['scan:finished']) {
    if (f.report) setPhase({ kind: 'done', runId: f.runId, report: f.report });
    else {
      runRef.current = null;
      setPhase(f.cancelled ? { kind: 'cancelled' } : { kind: 'idle' });
      if (f.error) setError(f.error.message);
    }
  }

  async function start() {
    setError(null);
    following.current?.stop();
    runRef.current = null;
    // Followed before the start call: a small folder can be done before `scan:start` has answered.
    const followed = followRun('scan:progress', 'scan:finished', {
      progress: (p) => setPhase({ kind: 'running', runId: p.runId, files: p.files, bytes: p.bytes, current: p.current }),
      finished: finish,
    });
    following.current = followed;
    try {
      const chosen = picker ? picked : await call('scan:allow-folder', { path: path.trim() });
      if (!chosen) throw new Error('Choose a folder first.');
      const r = await call('scan:start', { folder: chosen.folder, ...(noIgnore ? { noIgnore: true } : {}) });
      runRef.current = r.runId;
      setPhase({ kind: 'running', runId: r.runId, files: 0, bytes: 0, current: '' });
      followed.started(r.runId);
    } catch (e) {
      followed.stop();
      runRef.current = null;
      setError(errorMessage(e));
    }
  }

  async function choose() {
    setError(null);
    try {
      const chosen = await call('scan:pick-folder', {});
      if (chosen) setPicked(chosen);
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  async function cancel() {
    if (phase.kind !== 'running') return;
    await call('scan:cancel', { runId: phase.runId }).catch((e: unknown) => setError(errorMessage(e)));
  }

  async function reveal(runId: string, file: string) {
    await call('scan:reveal-file', { runId, path: file }).catch((e: unknown) => setError(errorMessage(e)));
  }

  const running = phase.kind === 'running';
  return (
    <Dialog title="Scan a folder" subtitle="Look for values stored in this vault in the files of a folder" onClose={onClose} size="lg">
      <DialogBody>
        {picker ? (
          <div className="scan-picked">
            <Field label="Folder" hint=".gitignore rules are followed; binary and very large files are skipped.">
              {(p) => <input {...p} className="input" readOnly value={picked?.path ?? ''} placeholder="No folder chosen" />}
            </Field>
            <Button disabled={running} onClick={() => void choose()}>
              Choose folder…
            </Button>
          </div>
        ) : (
          <Field
            label="Folder"
            hint="The full path, e.g. /home/you/projects/app: inside your home folder, or a folder browser mode was started with --scan-root. .gitignore rules are followed; binary and very large files are skipped."
          >
            {(p) => <input {...p} value={path} disabled={running} onChange={(e) => setPath(e.target.value)} placeholder="/path/to/folder" />}
          </Field>
        )}
        <CheckboxField label="Also scan files that .gitignore excludes" checked={noIgnore} onChange={setNoIgnore} />
        <FormError>{error}</FormError>
        {phase.kind === 'running' ? (
          <div className="scan-progress" role="status">
            <progress aria-label="Scan progress" />
            <span>
              {phase.files} files, {mb(phase.bytes)} scanned{phase.current ? ` — ${phase.current}` : ''}
            </span>
          </div>
        ) : null}
        {phase.kind === 'cancelled' ? <p role="status">Scan cancelled.</p> : null}
        {phase.kind === 'done' ? <Findings report={phase.report} onReveal={(f) => void reveal(phase.runId, f)} onOpenToken={onOpenToken} /> : null}
      </DialogBody>
      <DialogFooter>
        {running ? (
          <Button onClick={() => void cancel()}>Cancel scan</Button>
        ) : (
          <Button variant="primary" disabled={picker ? picked === null : path.trim() === ''} onClick={() => void start()}>
            Scan
          </Button>
        )}
        <Button onClick={onClose}>Close</Button>
      </DialogFooter>
    </Dialog>
  );
}

function Findings({ report, onReveal, onOpenToken }: { report: ScanReport; onReveal: (file: string) => void; onOpenToken: (id: string) => void }) {
  const skipped = [report.skipped.binary ? `${report.skipped.binary} binary` : '', report.skipped.huge ? `${report.skipped.huge} too large` : '', report.skipped.unreadable ? `${report.skipped.unreadable} unreadable` : '']
    .filter(Boolean)
    .join(', ');
  return (
    <div className="scan-findings">
      <p role="status">
        {report.findings.length === 0 ? 'No stored token found' : `${report.findings.length} stored token${report.findings.length === 1 ? '' : 's'} found`} in {report.scanned.files} files (
        {mb(report.scanned.bytes)}){skipped ? `; skipped ${skipped}` : ''}.
      </p>
      {report.findings.length > 0 ? (
        <ul aria-label="Findings">
          {report.findings.map((f, i) => (
            <li key={`${f.path}:${f.line}:${f.column}:${f.token.id}:${i}`} className="scan-finding">
              <div className="scan-finding-where">
                <code>
                  {f.path}:{f.line}:{f.column}
                </code>
              </div>
              <div className="scan-finding-token">
                {f.token.workspace}/{f.token.environment}/{f.token.name} <code>{f.token.fingerprint}</code>
              </div>
              <div className="scan-finding-actions">
                <Button size="sm" onClick={() => onReveal(f.path)}>
                  Reveal in file manager
                </Button>
                <Button size="sm" variant="danger" onClick={() => onOpenToken(f.token.id)}>
                  Revoke this token
                </Button>
              </div>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
