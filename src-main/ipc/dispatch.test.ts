import fc from 'fast-check';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src-shared/errors';
import { CHANNELS } from '../../src-shared/ipc/contract';
import { createAppServices, type AppServices } from '../services/app-services';
import { MemoryKeyStore } from '../vault/keychain';
import { tempHome } from '../vault/test-support';
import { dispatch } from './dispatch';
import { createHandlers, type Handlers } from './handlers';

let home: string;
let services: AppServices;
let handlers: Handlers;

beforeAll(async () => {
  home = tempHome();
  services = createAppServices({ home, keyStore: new MemoryKeyStore(), shell: 'browser' });
  handlers = createHandlers(services);
  await services.vault.init({ keySource: 'keychain' });
});

afterAll(() => {
  services.close();
  rmSync(home, { recursive: true, force: true });
});

function expectTyped(result: unknown) {
  const r = result as { ok: boolean; error?: { code: string; message: string } };
  expect(typeof r.ok).toBe('boolean');
  if (!r.ok) {
    expect(ERROR_CODES).toContain(r.error!.code);
    expect(r.error!.message.length).toBeGreaterThan(0);
    // Words for a person, never a stack trace.
    expect(r.error!.message).not.toMatch(/\n\s+at /);
  }
}

const hostile = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.string({ minLength: 10_000, maxLength: 20_000 }).map((s) => ({ name: s, id: s, query: s, workspaceId: s })),
  fc.record({ id: fc.oneof(fc.integer(), fc.constant(null), fc.string(), fc.array(fc.string())) }),
  fc.record({ workspaceId: fc.string(), name: fc.anything(), baseUrl: fc.webUrl(), production: fc.anything() }),
  fc.constant(Object.create(null)),
  fc.constant({ __proto__: { polluted: true } }),
  fc.constant({ constructor: { prototype: { polluted: true } } }),
);

describe('dispatch under hostile input', () => {
  it('answers every channel with a typed Result, whatever the payload', async () => {
    const channels = CHANNELS.filter((c) => c !== 'vault:lock');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...channels), hostile, async (channel, payload) => {
        const r = await dispatch(handlers, channel, payload);
        expectTyped(r);
      }),
      { numRuns: 400 },
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses unknown channels and non-string channel names', async () => {
    for (const name of ['vault:drop-everything', '__proto__', 'constructor', 'toString', 42, null, { a: 1 }]) {
      const r = await dispatch(handlers, name, {});
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('VALIDATION');
    }
  });

  it('changes nothing on a bad call and keeps serving', async () => {
    const before = services.vault.listWorkspaces().length;
    const bad = await dispatch(handlers, 'workspaces:add', { name: 'x'.repeat(101) });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.issues?.[0]?.path).toBe('name');
    expect(services.vault.listWorkspaces().length).toBe(before);
    const good = await dispatch(handlers, 'workspaces:add', { name: 'Still serving' });
    expect(good.ok).toBe(true);
    expect(services.vault.verifyAudit().ok).toBe(true);
  });

  it('hides unexpected exceptions behind INTERNAL without their text', async () => {
    const broken = { ...handlers, 'workspaces:list': () => { throw new Error('sqlite said: value sk_live_secret'); } } as Handlers;
    const r = await dispatch(broken, 'workspaces:list', {});
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('INTERNAL');
      expect(r.error.message).not.toContain('sk_live_secret');
    }
  });
});
