// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import type { EventMap } from '../../src-shared/ipc/contract';
import { installFakeApi } from '../test/fake-api';
import { followRun } from './follow-run';

type Progress = EventMap['tests:progress'];
const progress = (runId: string, done: number): Progress => ({ runId, done, total: 3, credentialId: `c${done}`, outcome: 'ok', explanation: '', diagnosis: null });
const finished = (runId: string) => ({ runId, done: 3, total: 3, cancelled: false });

function follow() {
  const seen: string[] = [];
  const run = followRun('tests:progress', 'tests:finished', {
    progress: (p) => seen.push(`${p.runId}:${p.done}`),
    finished: (f) => seen.push(`${f.runId}:end`),
  });
  return { seen, run };
}

describe('followRun', () => {
  it('delivers, in order, the events of a run that came before its id was known, and none of other runs', () => {
    const fake = installFakeApi();
    const { seen, run } = follow();
    fake.emit('tests:progress', progress('other', 1));
    fake.emit('tests:progress', progress('r1', 1));
    fake.emit('tests:progress', progress('r1', 2));
    expect(seen).toEqual([]);
    run.started('r1');
    expect(seen).toEqual(['r1:1', 'r1:2']);
    fake.emit('tests:progress', progress('r1', 3));
    fake.emit('tests:finished', finished('other'));
    fake.emit('tests:finished', finished('r1'));
    expect(seen).toEqual(['r1:1', 'r1:2', 'r1:3', 'r1:end']);
    // After its end the run is no longer followed: nothing more is delivered, nothing is listened to.
    expect(fake.listenerCount('tests:progress')).toBe(0);
    expect(fake.listenerCount('tests:finished')).toBe(0);
  });

  it('delivers an end that came before the id, once, and stops', () => {
    const fake = installFakeApi();
    const { seen, run } = follow();
    fake.emit('tests:progress', progress('r2', 1));
    fake.emit('tests:finished', finished('r2'));
    fake.emit('tests:progress', progress('r2', 2));
    run.started('r2');
    expect(seen).toEqual(['r2:1', 'r2:end']);
    expect(fake.listenerCount('tests:finished')).toBe(0);
  });

  it('delivers nothing once stopped (a failed start, a closed view)', () => {
    const fake = installFakeApi();
    const { seen, run } = follow();
    fake.emit('tests:progress', progress('r3', 1));
    run.stop();
    run.started('r3');
    fake.emit('tests:finished', finished('r3'));
    expect(seen).toEqual([]);
    expect(fake.listenerCount('tests:progress')).toBe(0);
  });
});
