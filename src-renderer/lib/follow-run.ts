import type { EventMap, EventName } from '../../src-shared/ipc/contract';
import { getApi } from './api';

type RunEvent = { runId: string };
type RunEventName = { [E in EventName]: EventMap[E] extends RunEvent ? E : never }[EventName];

export interface FollowedRun {
  /** The run id the start call answered with: events kept so far for it are delivered now, in order. */
  started(runId: string): void;
  /** Stops listening (the run ended, the start call failed, or the view closed). */
  stop(): void;
}

/**
 * Follows one run (a probe, a "Test all", a scan) that a call starts and whose
 * progress comes as events. The call's answer — the run id — and the run's
 * events travel separately (Electron IPC replies and pushes; browser mode's
 * POST answers and its event stream), so a short run can be over before its id
 * is known here: a probe against a fast server on a loaded machine sent all 15
 * progress events and "finished" first, and the dialog waited forever.
 *
 * So: call followRun before the start call; events of any run are kept until
 * `started(runId)` names the one to follow, then that run's events are
 * delivered in the order they came, and later ones as they come. Events of
 * other runs are dropped.
 *
 * @param progress the progress event's name (its payload carries `runId`)
 * @param finished the end event's name; after it, the run is no longer followed
 * @param on what to do with each event of the followed run
 */
export function followRun<P extends RunEventName, F extends RunEventName>(
  progress: P,
  finished: F,
  on: { progress(p: EventMap[P]): void; finished(f: EventMap[F]): void },
): FollowedRun {
  let runId: string | null = null;
  let stopped = false;
  const kept: ({ kind: 'progress'; p: EventMap[P] } | { kind: 'finished'; f: EventMap[F] })[] = [];
  const api = getApi();
  const deliverFinished = (f: EventMap[F]) => {
    stop();
    on.finished(f);
  };
  const offProgress = api.on(progress, (p) => {
    if (stopped) return;
    if (runId === null) kept.push({ kind: 'progress', p });
    else if ((p as RunEvent).runId === runId) on.progress(p);
  });
  const offFinished = api.on(finished, (f) => {
    if (stopped) return;
    if (runId === null) kept.push({ kind: 'finished', f });
    else if ((f as RunEvent).runId === runId) deliverFinished(f);
  });
  function stop() {
    stopped = true;
    kept.length = 0;
    offProgress();
    offFinished();
  }
  return {
    started(id) {
      if (stopped) return;
      runId = id;
      for (const e of kept.splice(0)) {
        if (stopped) break;
        if (e.kind === 'progress' && (e.p as RunEvent).runId === id) on.progress(e.p);
        else if (e.kind === 'finished' && (e.f as RunEvent).runId === id) deliverFinished(e.f);
      }
    },
    stop,
  };
}
