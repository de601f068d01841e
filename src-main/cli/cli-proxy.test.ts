import { execFileSync, spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCliVault } from './exec/test-seed';
import { CLI, runCli } from './test-cli';

// `tokenvault proxy` as a user runs it: prints its URL and secret once, serves
// until SIGTERM, and each call is in the audit log.
const root = join(__dirname, '..', '..');
const TOKEN = 'cli_proxy_token_0123456789abcdef';
let upstream: http.Server;
const seen: http.IncomingHttpHeaders[] = [];
let env: Record<string, string>;

beforeAll(async () => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build-node.mjs')], { cwd: root });
  upstream = http.createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ path: req.url, echo: req.headers.authorization }));
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  ({ env } = await seedCliVault({ workspaces: [{ name: 'Acme', environments: [{ name: 'dev', baseUrl: base, tokens: [{ name: 'api', value: TOKEN }] }] }] }));
});
afterAll(() => new Promise<void>((r) => upstream.close(() => r())));

describe('tokenvault proxy (CLI)', () => {
  it('prints URL and secret once, forwards with the credential, redacts, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [CLI, 'proxy', 'Acme/dev/api', '--json'], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const info = await new Promise<{ url: string; secret: string; secretHeader: string }>((resolve) => {
      child.stdout.on('data', (d) => {
        stdout += d;
        try {
          resolve(JSON.parse(stdout));
        } catch {
          // not complete yet
        }
      });
    });
    expect(info.secretHeader).toBe('X-Tokenvault-Proxy-Secret');
    expect(stdout).not.toContain(TOKEN);
    const refused = await fetch(`${info.url}/v1/things`);
    expect(refused.status).toBe(401);
    expect(seen).toHaveLength(0);
    const r = await fetch(`${info.url}/v1/things?x=1`, { headers: { [info.secretHeader]: info.secret } });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ path: '/v1/things?x=1', echo: 'Bearer [REDACTED]' });
    expect(seen[0]!.authorization).toBe(`Bearer ${TOKEN}`);
    const code = await new Promise<number | null>((resolve) => {
      child.on('close', (c) => resolve(c));
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
    expect(stderr).toContain('GET /v1/things?x=1 → 200');
    expect(stderr).toContain('refused: PROXY_REFUSED');
    const audit = await runCli(['audit', '--json', '--token', 'Acme/dev/api'], env);
    const events = audit.json() as { type: string; note: string }[];
    expect(events.some((e) => e.type === 'used' && e.note.startsWith('proxy on 127.0.0.1:'))).toBe(true);
    expect(events.some((e) => e.type === 'tested' && e.note.startsWith('GET /v1/things?x=1'))).toBe(true);
  });

  it('refuses a bad port', async () => {
    expect((await runCli(['proxy', 'Acme/dev/api', '--port', 'http'], env)).code).toBe(2);
  });
});
