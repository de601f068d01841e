import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventMap } from '../../src-shared/ipc/contract';
import { createAppServices, type AppServices } from '../services/app-services';
import type { FolderSource } from '../services/leak-scan/folder-grants';
import { MemoryKeyStore } from '../vault/keychain';
import { tempHome } from '../vault/test-support';
import { dispatch } from './dispatch';
import { createHandlers, type Handlers } from './handlers';

// issue 12 (security): scan:start takes only a folder handle the main process handed out,
// for a folder chosen in its picker (Electron) or inside the allowed roots (browser mode).
const TOKEN = 'sk_live_FolderGrant0123456789abcdef';
let home: string;
let root: string;
let outside: string;
let services: AppServices;
let handlers: Handlers;
let finished: EventMap['scan:finished'][];

async function setUp(source: FolderSource) {
  services = createAppServices({ home, keyStore: new MemoryKeyStore(), shell: source.kind === 'picker' ? 'electron' : 'browser', scanFolders: source });
  services.reminders.stop();
  handlers = createHandlers(services);
  finished = [];
  services.events.subscribe((event, payload) => {
    if (event === 'scan:finished') finished.push(payload as EventMap['scan:finished']);
  });
  const v = services.vault;
  await v.init({ keySource: 'keychain' });
  const ws = v.addWorkspace({ name: 'Acme' });
  const env = v.addEnvironment({ workspaceId: ws.id, name: 'live', baseUrl: 'https://api.example.com' });
  v.addCredential({ environmentId: env.id, name: 'sales', kind: 'bearer', secret: { value: TOKEN } });
}

const call = (channel: string, input: unknown) => dispatch(handlers, channel, input);

beforeEach(() => {
  home = tempHome();
  root = tempHome();
  outside = tempHome();
  mkdirSync(join(root, 'app'));
  writeFileSync(join(root, 'app', 'leak.js'), `const k = "${TOKEN}";\n`);
  writeFileSync(join(outside, 'other.js'), `const k = "${TOKEN}";\n`);
});
afterEach(() => {
  services.close();
  for (const d of [home, root, outside]) rmSync(d, { recursive: true, force: true });
});

describe('scan:start refuses a raw path', () => {
  it('answers VALIDATION for a path, in either field, and starts nothing', async () => {
    await setUp({ kind: 'allowlist', roots: [root] });
    for (const input of [{ path: join(root, 'app') }, { folder: join(root, 'app') }, { folder: '/' }, { folder: 'fld_not-a-handle' }]) {
      const r = await call('scan:start', input);
      expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    }
    // Well-formed, but never handed out by this process.
    expect(await call('scan:start', { folder: 'fld_0123456789abcdef0123' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(finished).toEqual([]);
  });
});

describe('browser mode: typed paths inside the allowed roots', () => {
  it('allows a folder inside a root and scans it by its handle', async () => {
    await setUp({ kind: 'allowlist', roots: [root] });
    const allowed = await call('scan:allow-folder', { path: join(root, 'app') });
    expect(allowed).toMatchObject({ ok: true, value: { folder: expect.stringMatching(/^fld_[0-9a-f]{20}$/), path: join(root, 'app') } });
    const folder = (allowed as { value: { folder: string } }).value.folder;
    const done = new Promise<EventMap['scan:finished']>((resolve) => services.events.subscribe((e, p) => e === 'scan:finished' && resolve(p as EventMap['scan:finished'])));
    expect(await call('scan:start', { folder })).toMatchObject({ ok: true });
    const f = await done;
    expect(f.report!.findings.map((x) => x.path)).toEqual([join(root, 'app', 'leak.js')]);
  });

  it('refuses a folder outside the roots, a relative path, a file, and a link leading out of a root', async () => {
    await setUp({ kind: 'allowlist', roots: [root] });
    symlinkSync(outside, join(root, 'escape'));
    for (const path of [outside, '/', 'app', join(root, 'app', 'leak.js'), join(root, 'escape'), join(root, '..', root.split('/').pop()!, '..')]) {
      const r = await call('scan:allow-folder', { path });
      expect(r.ok, path).toBe(false);
    }
    expect((await call('scan:allow-folder', { path: outside })) as unknown).toMatchObject({ error: { code: 'VALIDATION', message: expect.stringContaining('--scan-root') } });
    // Browser mode has no picker.
    expect(await call('scan:pick-folder', {})).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });
});

describe('Electron: the folder comes from the main-process picker', () => {
  it('hands out a handle for the picked folder, null when cancelled, and refuses typed paths', async () => {
    let answer: string | null = join(root, 'app');
    await setUp({ kind: 'picker', pick: async () => answer });
    const picked = await call('scan:pick-folder', {});
    expect(picked).toMatchObject({ ok: true, value: { folder: expect.stringMatching(/^fld_/), path: join(root, 'app') } });
    expect(await call('scan:start', { folder: (picked as { value: { folder: string } }).value.folder })).toMatchObject({ ok: true });
    answer = null;
    expect(await call('scan:pick-folder', {})).toEqual({ ok: true, value: null });
    expect(await call('scan:allow-folder', { path: join(root, 'app') })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await call('scan:allow-folder', { path: tmpdir() })).toMatchObject({ ok: false });
  });
});
