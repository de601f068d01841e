import { useEffect, useState } from 'react';
import type { EventMap } from '../../../../src-shared/ipc/contract';
import { isCorrupt } from '../../../../src-shared/domain/types';
import { Badge } from '../../../components/ui/badge';
import { Button } from '../../../components/ui/button';
import { Dialog, DialogBody, DialogFooter } from '../../../components/ui/dialog';
import { WarningIcon } from '../../../components/ui/icons';
import { call } from '../../../lib/api';
import { followRun } from '../../../lib/follow-run';
import { errorMessage } from '../../../lib/errors';
import { heldBackText } from '../lib/held-back';
import { plural } from '../../../lib/format';
import { runOutcomeLabel, runOutcomeTone, type RunOutcome } from '../lib/outcomes';
import './tester.css';

interface Row {
  id: string;
  name: string;
  outcome: RunOutcome | null;
  explanation: string;
  diagnosis: string | null;
}

type Progress = EventMap['tests:progress'];

/** "Test all" in the token list's toolbar: every token of this workspace/environment, one after another. */
export function TestAllButton({ workspaceId, environmentId, where }: { workspaceId: string; environmentId: string; where: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button onClick={() => setOpen(true)}>Test all</Button>
      {open ? <TestAllDialog workspaceId={workspaceId} environmentId={environmentId} where={where} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

/** Sums a finished run: "7 tested: 5 OK, 1 unauthorized, 1 held back". */
export function summarize(rows: Row[]): string {
  const counts = new Map<string, number>();
  for (const r of rows) if (r.outcome) counts.set(runOutcomeLabel(r.outcome), (counts.get(runOutcomeLabel(r.outcome)) ?? 0) + 1);
  const done = rows.filter((r) => r.outcome).length;
  const parts = [...counts].map(([label, n]) => `${n} ${label.toLowerCase()}`);
  return `${plural(done, 'token', 'tokens')} tested${parts.length ? `: ${parts.join(', ')}` : ''}.`;
}

export function TestAllDialog({ workspaceId, environmentId, where, onClose }: { workspaceId: string; environmentId: string; where: string; onClose: () => void }) {
  const [rows, setRows] = useState<Row[]>([]);
  const [runId, setRunId] = useState<string | null>(null);
  const [total, setTotal] = useState(0);
  const [done, setDone] = useState(0);
  const [finished, setFinished] = useState<{ cancelled: boolean } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const apply = (p: Progress) => {
      setDone((d) => Math.max(d, p.done));
      setRows((rs) => {
        const known = rs.some((r) => r.id === p.credentialId);
        const next = known ? rs : [...rs, { id: p.credentialId, name: p.credentialId, outcome: null, explanation: '', diagnosis: null }];
        // A held-back row in the app's words (the main process's explanation is the CLI's).
        const explanation = p.hold ? heldBackText(p.hold, null, 'token') : p.explanation;
        return next.map((r) => (r.id === p.credentialId ? { ...r, outcome: p.outcome, explanation, diagnosis: p.diagnosis ?? null } : r));
      });
    };
    // Followed before the start call: a short run can be over before its id comes back.
    const followed = followRun('tests:progress', 'tests:finished', {
      progress: apply,
      finished: (f) => {
        setDone(f.done);
        setFinished({ cancelled: f.cancelled });
      },
    });
    (async () => {
      try {
        // Names first, so rows read as tokens rather than ids.
        const listed = await call('credentials:list', { workspaceId, environmentId });
        if (!live) return;
        setRows((rs) => {
          const byId = new Map(rs.map((r) => [r.id, r]));
          const base: Row[] = listed.filter((c) => !isCorrupt(c)).map((c) => ({ id: c.id, name: 'name' in c ? c.name : c.id, outcome: null, explanation: '', diagnosis: null }));
          return base.map((r) => {
            const seen = byId.get(r.id);
            return seen ? { ...r, outcome: seen.outcome, explanation: seen.explanation, diagnosis: seen.diagnosis } : r;
          });
        });
        const started = await call('credentials:test-all', { workspaceId, environmentId });
        if (!live) return;
        setRunId(started.runId);
        setTotal(started.total);
        followed.started(started.runId);
        if (started.total === 0) setFinished({ cancelled: false });
      } catch (e) {
        followed.stop();
        if (live) setError(errorMessage(e));
      }
    })();
    return () => {
      live = false;
      followed.stop();
    };
  }, [workspaceId, environmentId]);

  async function cancel() {
    if (runId) await call('tests:cancel', { runId }).catch(() => undefined);
  }

  const running = runId !== null && finished === null;
  const percent = total > 0 ? Math.round((done / total) * 100) : finished ? 100 : 0;

  return (
    <Dialog title="Test all" subtitle={`Every token in ${where}, with its provider's safe preset.`} size="lg" onClose={onClose}>
      <DialogBody className="test-all">
        <div className="test-all-progress">
          <div
            className="progress"
            role="progressbar"
            aria-label="Tests done"
            aria-valuemin={0}
            aria-valuemax={total}
            aria-valuenow={done}
            aria-valuetext={`${done} of ${total} tested`}
          >
            <span className="progress-fill" style={{ width: `${percent}%` }} />
          </div>
          <span className="test-all-count" aria-hidden="true">
            {done} / {total}
          </span>
        </div>
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
        {finished ? (
          <p className="test-all-summary" role="status">
            {finished.cancelled ? 'Cancelled. ' : 'Finished. '}
            {summarize(rows)}
          </p>
        ) : null}
        <ul className="test-all-rows" aria-label="Results">
          {rows.map((r) => (
            <li key={r.id} className="test-all-row" data-testid="test-all-row">
              <span className="test-all-name">{r.name}</span>
              {r.outcome ? <Badge tone={runOutcomeTone(r.outcome)}>{runOutcomeLabel(r.outcome)}</Badge> : <span className="muted test-all-wait">{running ? 'Waiting…' : '—'}</span>}
              {r.explanation || r.diagnosis ? (
                <div className="test-all-explanation">
                  {r.explanation ? <p>{r.explanation}</p> : null}
                  {r.diagnosis ? (
                    <p className="test-all-diagnosis" role="note">
                      <WarningIcon size={12} /> {r.diagnosis.charAt(0).toUpperCase() + r.diagnosis.slice(1)}
                    </p>
                  ) : null}
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      </DialogBody>
      <DialogFooter>
        {running ? (
          <Button variant="danger" onClick={() => void cancel()}>
            Cancel
          </Button>
        ) : null}
        <Button variant={running ? 'secondary' : 'primary'} onClick={onClose}>
          Close
        </Button>
      </DialogFooter>
    </Dialog>
  );
}
