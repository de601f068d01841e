import { useEffect, useMemo, useRef, useState } from 'react';
import type { ProbeCellReport, ProbeReport } from '../../../../src-shared/ipc/contract';
import { Badge } from '../../../components/ui/badge';
import { Button } from '../../../components/ui/button';
import { Dialog, DialogBody, DialogFooter } from '../../../components/ui/dialog';
import { CheckboxField, Field, FormError } from '../../../components/ui/field';
import { WarningIcon } from '../../../components/ui/icons';
import { call } from '../../../lib/api';
import { followRun, type FollowedRun } from '../../../lib/follow-run';
import { errorMessage } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { downloadText, fileSlug } from '../lib/download';
import { probeCsv, probeGrid, probeJson } from '../lib/probe-report';
import type { TokenContext } from './token-context';
import './roles.css';

/**
 * "Probe permissions": the plan (nothing sent yet), then every documented
 * endpoint called with this token and compared with the documents. Writes
 * are sent only where the provider has a request known not to change data;
 * production asks for its name first. A cancelled probe can be resumed.
 */
export function ProbeDialog({ context, onClose }: { context: TokenContext; onClose: () => void }) {
  const { credential, environment } = context;
  const [plan, setPlan] = useState<ProbeReport | null>(null);
  const [report, setReport] = useState<ProbeReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirm, setConfirm] = useState('');
  const [run, setRun] = useState<{ runId: string; total: number; done: number } | null>(null);
  const [onlyMismatches, setOnlyMismatches] = useState(false);
  const following = useRef<FollowedRun | null>(null);

  useEffect(() => {
    let live = true;
    Promise.all([call('probes:plan', { credentialId: credential.id }), call('probes:report', { credentialId: credential.id })])
      .then(([p, r]) => {
        if (!live) return;
        setPlan(p);
        setReport(r);
      })
      .catch((e) => live && setError(errorMessage(e)));
    return () => {
      live = false;
      following.current?.stop();
    };
  }, [credential.id]);

  async function start(resume: boolean) {
    setError(null);
    following.current?.stop();
    // Followed before the start call: a short run can be over before its id comes back.
    const followed = followRun('probes:progress', 'probes:finished', {
      progress: (p) => setRun((r) => (r ? { ...r, done: Math.max(r.done, p.done) } : r)),
      finished: () => {
        setRun(null);
        call('probes:report', { credentialId: credential.id })
          .then((r) => setReport(r))
          .catch((e) => setError(errorMessage(e)));
      },
    });
    following.current = followed;
    try {
      const r = await call('probes:start', {
        credentialId: credential.id,
        ...(plan?.production ? { confirmEnvironment: confirm } : {}),
        ...(resume ? { resume: true } : {}),
      });
      setRun({ runId: r.runId, total: r.total, done: 0 });
      followed.started(r.runId);
    } catch (e) {
      followed.stop();
      setError(errorMessage(e));
    }
  }

  async function cancel() {
    if (run) await call('probes:cancel', { runId: run.runId }).catch(() => undefined);
  }

  const sendable = plan ? plan.cells.filter((c) => c.observed !== 'skipped').length : 0;
  const canResume = report !== null && !report.complete && run === null;
  const mismatches = report?.cells.filter((c) => c.mismatch).length ?? 0;

  return (
    <Dialog
      title="Probe permissions"
      subtitle={
        <>
          Calls every documented endpoint with <strong>{credential.name}</strong> and compares the answers with the documents.
        </>
      }
      size="lg"
      className="probe-dialog"
      onClose={onClose}
      banner={
        environment.production ? (
          <div className="dialog-production">
            <WarningIcon size={14} /> <strong>PRODUCTION</strong> {context.workspace.name} / {environment.name}
          </div>
        ) : null
      }
    >
      <DialogBody className="probe-body">
        {plan ? (
          <section className="probe-plan" aria-label="Plan">
            <p>
              <strong>{plan.cells.length} calls planned</strong> ({sendable} to send) in {plan.environmentName}. Nothing is sent until you start.
            </p>
            {plan.notes.length > 0 ? (
              <ul className="probe-notes">
                {plan.notes.map((n) => (
                  <li key={n}>{n}</li>
                ))}
              </ul>
            ) : null}
          </section>
        ) : error ? null : (
          <p className="muted" aria-busy="true">
            Planning…
          </p>
        )}
        {plan?.production && run === null ? (
          <Field label="Type the environment name to confirm" hint={`This probe calls a PRODUCTION API. Type ${plan.environmentName}.`}>
            {(p) => <input {...p} className="input" autoComplete="off" spellCheck={false} value={confirm} onChange={(e) => setConfirm(e.currentTarget.value)} />}
          </Field>
        ) : null}
        {run ? (
          <div className="test-all-progress">
            <div
              className="progress"
              role="progressbar"
              aria-label="Probe progress"
              aria-valuemin={0}
              aria-valuemax={run.total}
              aria-valuenow={run.done}
              aria-valuetext={`${run.done} of ${run.total} calls`}
            >
              <span className="progress-fill" style={{ width: `${run.total ? (run.done / run.total) * 100 : 0}%` }} />
            </div>
            <span className="test-all-count" aria-hidden="true">
              {run.done} / {run.total}
            </span>
          </div>
        ) : null}
        <FormError>{error}</FormError>
        {report ? (
          <section className="probe-result" aria-label="Probe result">
            <div className="probe-result-head">
              <p role="status">
                {report.complete ? 'Finished' : report.cancelled ? 'Cancelled' : 'Incomplete'} {formatDateTime(report.finishedAt ?? report.startedAt)}:{' '}
                {mismatches === 0 ? 'no mismatch with the documents' : <strong>{mismatches === 1 ? '1 mismatch' : `${mismatches} mismatches`} with the documents</strong>}
                {!report.complete ? ` · ${report.cells.filter((c) => c.observed !== null).length} of ${report.cells.length} calls done` : ''}.
              </p>
              <CheckboxField label="Only mismatches" checked={onlyMismatches} onChange={setOnlyMismatches} />
            </div>
            <ProbeTable cells={onlyMismatches ? report.cells.filter((c) => c.mismatch) : report.cells} />
            <div className="export-buttons">
              <Button size="sm" onClick={() => downloadText(`${fileSlug(credential.name)}-probe.csv`, probeCsv(report), 'text/csv')}>
                Export CSV
              </Button>
              <Button size="sm" onClick={() => downloadText(`${fileSlug(credential.name)}-probe.json`, probeJson(report), 'application/json')}>
                Export JSON
              </Button>
            </div>
          </section>
        ) : null}
      </DialogBody>
      <DialogFooter>
        {run ? (
          <Button variant="danger" onClick={() => void cancel()}>
            Cancel
          </Button>
        ) : (
          <>
            {canResume ? <Button onClick={() => void start(true)}>Resume</Button> : null}
            <Button variant="primary" disabled={!plan} onClick={() => void start(false)}>
              {report ? 'Probe again' : 'Start probe'}
            </Button>
          </>
        )}
        <Button onClick={onClose}>Close</Button>
      </DialogFooter>
    </Dialog>
  );
}

const OBSERVED_TONE = { allowed: 'success', denied: 'danger', skipped: 'neutral', error: 'warning' } as const;

function ProbeTable({ cells }: { cells: ProbeCellReport[] }) {
  const grid = useMemo(() => probeGrid(cells), [cells]);
  if (cells.length === 0) return <p className="muted">Nothing to show.</p>;
  return (
    <div className="matrix-scroll probe-scroll" tabIndex={0} role="region" aria-label="Documented and observed, by endpoint and method">
      <table className="matrix probe-table">
        <thead>
          <tr>
            <th scope="col" className="matrix-corner">
              Endpoint
            </th>
            {grid.methods.map((m) => (
              <th key={m} scope="col">
                {m}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {grid.rows.map((r) => (
            <tr key={r.endpoint}>
              <th scope="row" className="matrix-path">
                <code>{r.endpoint}</code>
              </th>
              {grid.methods.map((m) => {
                const c = r.cells[m];
                if (!c) return <td key={m} className="is-none" />;
                return (
                  <td key={m} className={c.mismatch ? 'is-mismatch' : undefined} data-testid={c.mismatch ? 'probe-mismatch' : undefined} title={c.note || undefined}>
                    <span className="probe-cell">
                      <span className="probe-doc">Documented: {c.documented}</span>
                      <span>
                        {c.observed === null ? (
                          <span className="muted">not yet sent</span>
                        ) : (
                          <Badge tone={OBSERVED_TONE[c.observed]}>
                            {c.observed}
                            {c.status !== null ? ` ${c.status}` : ''}
                          </Badge>
                        )}
                        {c.mismatch ? <strong className="probe-mismatch-label"> Mismatch</strong> : null}
                      </span>
                    </span>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
