import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seedDemo, startAll, type AllEmulators, type DemoCredentials } from '../../e2e/emulators';
import type { Environment } from '../../src-shared/domain/types';
import { createHandlers } from '../ipc/handlers';
import { MemoryKeyStore } from '../vault/keychain';
import { tempHome } from '../vault/test-support';
import { createAppServices, type AppServices } from './app-services';

// "Copy as curl" (issue 12): the exact request, the token as $TOKEN, built without reading the value.
const run = promisify(execFile);
let emu: AllEmulators;
let demo: DemoCredentials;
let s: AppServices;

beforeAll(async () => {
  emu = await startAll();
  demo = seedDemo(emu);
});
afterAll(async () => {
  s?.close();
  await emu.close();
});
beforeEach(async () => {
  s?.close();
  s = createAppServices({ home: tempHome(), keyStore: new MemoryKeyStore(), shell: 'browser' });
  s.reminders.stop();
  await s.vault.init({ keySource: 'keychain' });
});

function environment(name: string, providerId: string, baseUrl: string): Environment {
  const { workspace: ws } = s.catalog.addWorkspace({ name, providerId });
  for (const e of s.vault.listEnvironments(ws.id)) s.vault.removeEnvironment((e as Environment).id);
  return s.vault.addEnvironment({ workspaceId: ws.id, name: 'sandbox', baseUrl, production: false });
}

describe('Copy as curl', () => {
  it('gives the one-click test as curl with every header the engine sends, the token as $TOKEN, and the exec line', async () => {
    const env = environment('Holding Lumière', 'regate', emu.urls.regate);
    const c = s.catalog.addCredential({ environmentId: env.id, name: "CFO's key", kind: 'bearer', role: 'CFO', secret: { value: demo.regate.cfo } });
    const r = await createHandlers(s)['requests:curl']({ credentialId: c.id });
    expect(r.curl).toBe(
      [
        `curl --request GET '${emu.urls.regate}/users' \\`,
        `  --header 'user-agent: Tokenvault' \\`,
        `  --header 'accept: application/json, */*;q=0.5' \\`,
        `  --header 'Authorization: Bearer '"$TOKEN"`,
      ].join('\n'),
    );
    expect(r.exec).toBe(
      `tokenvault exec --map 'TOKEN=Holding Lumière/sandbox/CFO'\\''s key' -- sh -c 'curl --request GET '\\''${emu.urls.regate}/users'\\'' --header '\\''user-agent: Tokenvault'\\'' --header '\\''accept: application/json, */*;q=0.5'\\'' --header '\\''Authorization: Bearer '\\''"$TOKEN"'`,
    );
    expect(JSON.stringify(r)).not.toContain(demo.regate.cfo);

    // The line is the request: run by a shell with TOKEN set, the emulator accepts it.
    const out = await run('sh', ['-c', `${r.curl} --silent --output /dev/null --write-out '%{http_code}'`], { env: { ...process.env, TOKEN: demo.regate.cfo } });
    expect(out.stdout).toBe('200');
    const seen = emu.regate.state.requests.at(-1)!;
    expect(seen.authorization).toBe(`Bearer ${demo.regate.cfo}`);
  });

  it("a request's method, path, headers and body, an API key in its own header; no value read", async () => {
    const env = environment('Clinics', 'regen-therapy', emu.urls.regen);
    const c = s.catalog.addCredential({ environmentId: env.id, name: 'orders', kind: 'api_key', headerName: 'X-API-Key', scopes: ['write:orders'], secret: { value: demo.regen.orders } });
    const reads: string[] = [];
    const original = s.vault.secretForRequest.bind(s.vault);
    s.vault.secretForRequest = (id: string) => (reads.push(id), original(id));
    const r = await createHandlers(s)['requests:curl']({ credentialId: c.id, method: 'POST', path: '/api/v1/orders?dry=1', headers: { 'X-Trace': "it's" }, body: '{"a":1}' });
    expect(reads).toEqual([]);
    expect(r.curl).toContain(`curl --request POST '${emu.urls.regen}/api/v1/orders?dry=1'`);
    expect(r.curl).toContain(`--header 'content-type: application/json'`);
    expect(r.curl).toContain(`--header 'X-Trace: it'\\''s'`);
    expect(r.curl).toContain(`--header 'X-API-Key: '"$TOKEN"`);
    expect(r.curl.endsWith(`--data-raw '{"a":1}'`)).toBe(true);
    // A header that would carry a credential is dropped, as the engine drops it.
    const sneaky = await createHandlers(s)['requests:curl']({ credentialId: c.id, method: 'GET', path: '/', headers: { Authorization: 'Bearer x' } });
    expect(sneaky.curl).not.toContain('Bearer x');
  });
});
