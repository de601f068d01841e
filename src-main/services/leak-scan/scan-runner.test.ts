import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventMap } from '../../../src-shared/ipc/contract';
import { openTempVault, tempHome, type TempVault } from '../../vault/test-support';
import { EventBus } from '../event-bus';
import { ScanRunner } from './scan-runner';

const TOKEN = 'sk_live_RunnerToken0123456789abcdef';
let t: TempVault;
let dir: string;

beforeAll(async () => {
  t = openTempVault();
  await t.vault.init({ keySource: 'keychain' });
  const ws = t.vault.addWorkspace({ name: 'Acme' });
  const env = t.vault.addEnvironment({ workspaceId: ws.id, name: 'live', baseUrl: 'https://api.example.com' });
  t.vault.addCredential({ environmentId: env.id, name: 'sales', kind: 'bearer', secret: { value: TOKEN } });
  dir = tempHome();
  for (let i = 0; i < 200; i++) writeFileSync(join(dir, `f${i}.txt`), `file ${i}\n`);
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'leak.js'), `const k = "${TOKEN}";\n`);
});
afterAll(() => {
  t.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

function collect(bus: EventBus) {
  const progress: EventMap['scan:progress'][] = [];
  let finished: ((f: EventMap['scan:finished']) => void) | null = null;
  const done = new Promise<EventMap['scan:finished']>((r) => (finished = r));
  bus.subscribe((name, p) => {
    if (name === 'scan:progress') progress.push(p as EventMap['scan:progress']);
    if (name === 'scan:finished') finished!(p as EventMap['scan:finished']);
  });
  return { progress, done };
}

describe('Scan a folder (ScanRunner)', () => {
  it('reports progress and findings; only a reported file can be revealed', async () => {
    const bus = new EventBus();
    const revealed: string[] = [];
    const runner = new ScanRunner(t.vault, bus, (p) => revealed.push(p));
    const { progress, done } = collect(bus);
    const { runId } = runner.start(dir);
    const f = await done;
    expect(f).toMatchObject({ runId, cancelled: false, error: null });
    expect(f.report!.findings.map((x) => [x.path, x.line, x.column, x.token.name])).toEqual([[join(dir, 'src', 'leak.js'), 1, 12, 'sales']]);
    expect(JSON.stringify(f)).not.toContain(TOKEN);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)!.files).toBe(201);
    expect(runner.revealFile(runId, join(dir, 'src', 'leak.js'))).toEqual({ revealed: true });
    expect(revealed).toEqual([join(dir, 'src', 'leak.js')]);
    expect(() => runner.revealFile(runId, '/etc/passwd')).toThrow(/not in this scan/);
    expect(() => runner.revealFile('scan_nope', join(dir, 'src', 'leak.js'))).toThrow();
  });

  it('cancels a running scan', async () => {
    const bus = new EventBus();
    const runner = new ScanRunner(t.vault, bus, () => undefined);
    const { done } = collect(bus);
    const { runId } = runner.start(dir);
    expect(runner.cancel(runId)).toBe(true);
    expect(await done).toMatchObject({ runId, cancelled: true, report: null, error: null });
    expect(runner.cancel(runId)).toBe(false);
  });

  it('refuses a relative path, a file, a missing folder, and a locked vault', () => {
    const runner = new ScanRunner(t.vault, new EventBus(), () => undefined);
    expect(() => runner.start('relative/path')).toThrow(/full path/);
    expect(() => runner.start(join(dir, 'f1.txt'))).toThrow(/not a folder/);
    expect(() => runner.start(join(dir, 'missing'))).toThrow(/no folder/);
    t.vault.lock();
    expect(() => runner.start(dir)).toThrow(/locked/i);
  });
});
