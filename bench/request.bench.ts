import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCoolset } from '../e2e/emulators';
import { startBrowserMode } from '../src-main/browser-mode/server';
import { createAppServices } from '../src-main/services/app-services';
import { MemoryKeyStore, OsKeyStore } from '../src-main/vault/keychain';
import { summarize } from './stats';

const root = join(__dirname, '..');

/**
 * A one-click test through the full path (browser-mode API → handlers →
 * request service → engine → emulator, with the vault read and the history
 * write) against a direct fetch of the same URL with the same header,
 * interleaved so both see the same machine.
 */
export async function benchOneClick(iterations = 1000) {
  const coolset = await startCoolset({ maxRecorded: 0 });
  const token = coolset.state.addToken({ scope: 'Read' }).value;
  const home = mkdtempSync(join(tmpdir(), 'tokenvault-bench-'));
  const services = createAppServices({ home, keyStore: new MemoryKeyStore(), shell: 'browser' });
  const server = await startBrowserMode({ services, staticDir: join(root, 'out', 'renderer') });
  try {
    await services.vault.init({ keySource: 'keychain' });
    const { workspace } = services.catalog.addWorkspace({ name: 'Bench', providerId: 'coolset' });
    const env = services.vault.addEnvironment({ workspaceId: workspace.id, name: 'sandbox', baseUrl: coolset.url });
    const c = services.vault.addCredential({ environmentId: env.id, name: 'reader', kind: 'bearer', secret: { value: token } });
    const target = `${coolset.url}/api/accounts/user-config/`;
    const apiUrl = `${server.origin}/api/invoke/credentials:test`;
    const apiHeaders = { 'content-type': 'application/json', 'x-tokenvault-session': server.secret };
    const body = JSON.stringify({ id: c.id });

    const direct = async () => {
      const t0 = process.hrtime.bigint();
      const r = await fetch(target, { headers: { authorization: `Bearer ${token}` } });
      await r.arrayBuffer();
      if (r.status !== 200) throw new Error(`direct: ${r.status}`);
      return Number(process.hrtime.bigint() - t0) / 1e6;
    };
    const oneClick = async () => {
      const t0 = process.hrtime.bigint();
      const r = await fetch(apiUrl, { method: 'POST', headers: apiHeaders, body });
      const json = (await r.json()) as { ok: boolean; value?: { classification: string } };
      if (!json.ok || json.value?.classification !== 'ok') throw new Error('one-click test failed');
      return Number(process.hrtime.bigint() - t0) / 1e6;
    };
    for (let i = 0; i < 50; i++) {
      await direct();
      await oneClick();
    }
    const d: number[] = [];
    const o: number[] = [];
    for (let i = 0; i < iterations; i++) {
      // Alternate which goes first so neither always follows the other.
      if (i % 2 === 0) {
        d.push(await direct());
        o.push(await oneClick());
      } else {
        o.push(await oneClick());
        d.push(await direct());
      }
    }
    const ds = summarize(d);
    const os = summarize(o);
    return {
      iterations,
      directFetchMs: ds,
      oneClickMs: os,
      overheadMs: { median: round(os.median - ds.median), p99: round(os.p99 - ds.p99) },
    };
  } finally {
    await server.close();
    services.close();
    await coolset.close();
    rmSync(home, { recursive: true, force: true });
  }
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/**
 * The CLI as a whole process — `tokenvault test REF` — against curl with the
 * same header and a bare Node script doing one http.get, interleaved, median
 * of 15 each. Needs a keychain vault (a passphrase vault spends its time in
 * scrypt, by design), so it runs only where a Secret Service is reachable.
 */
export async function benchCliProcess(runs = 15) {
  if (!process.env.DBUS_SESSION_BUS_ADDRESS) return { skipped: 'no Secret Service session: the CLI process figure needs a keychain vault' };
  const coolset = await startCoolset({ maxRecorded: 0 });
  const token = coolset.state.addToken({ scope: 'Read' }).value;
  const home = mkdtempSync(join(tmpdir(), 'tokenvault-bench-cli-'));
  const cli = join(root, 'bin', 'tokenvault.cjs');
  const env = { ...process.env, TOKENVAULT_HOME: home };
  try {
    const services = createAppServices({ home, keyStore: new OsKeyStore(), shell: 'browser' });
    await services.vault.init({ keySource: 'keychain' });
    const { workspace } = services.catalog.addWorkspace({ name: 'Bench', providerId: 'coolset' });
    const e = services.vault.addEnvironment({ workspaceId: workspace.id, name: 'sandbox', baseUrl: coolset.url });
    services.vault.addCredential({ environmentId: e.id, name: 'reader', kind: 'bearer', secret: { value: token } });
    services.close();
    const target = `${coolset.url}/api/accounts/user-config/`;
    const nodeScript = join(home, 'get.js');
    // The token reaches the bare script through the environment, as it would in a real script.
    writeFileSync(nodeScript, `require('http').get(process.argv[2], { headers: { authorization: 'Bearer ' + process.env.TV_BENCH_TOKEN } }, (r) => { r.resume(); r.on('end', () => process.exit(r.statusCode === 200 ? 0 : 1)); });`);
    const hasCurl = spawnSync('sh', ['-c', 'command -v curl'], { stdio: 'ignore' }).status === 0;
    // Spawned asynchronously: the emulator answers from this very process.
    const time = (cmd: string, args: string[], extraEnv: Record<string, string> = {}) =>
      new Promise<number>((resolve, reject) => {
        const t0 = process.hrtime.bigint();
        const child = spawn(cmd, args, { env: { ...env, ...extraEnv }, stdio: ['ignore', 'ignore', 'pipe'] });
        let err = '';
        child.stderr.on('data', (d) => (err += d));
        child.on('exit', (code) => {
          const ms = Number(process.hrtime.bigint() - t0) / 1e6;
          if (code === 0) resolve(ms);
          else reject(new Error(`${cmd} ${args[0]} exited ${code}: ${err}`));
        });
      });
    const cliRun = () => time(process.execPath, [cli, 'test', 'Bench/sandbox/reader']);
    // A second, labelled figure: the same command inside a CLI session (`eval "$(tokenvault unlock)"`),
    // which unlocks without the keychain. The keychain path above stays the figure the target is about.
    const session = (JSON.parse(execFileSync(process.execPath, [cli, 'unlock', '--json'], { env, encoding: 'utf8' })) as { session: string }).session;
    const cliSessionRun = () => time(process.execPath, [cli, 'test', 'Bench/sandbox/reader'], { TOKENVAULT_SESSION: session });
    const revealRun = () => time(process.execPath, [cli, 'token', 'reveal', 'Bench/sandbox/reader']);
    // Reveal's bare-Node twin: load SQLite and crypto, read the token's row, print its length.
    const bareRevealScript = join(home, 'read.js');
    writeFileSync(
      bareRevealScript,
      `const D = require(${JSON.stringify(require.resolve('better-sqlite3'))}); require('crypto'); const db = new D(process.argv[2], { readonly: true }); const r = db.prepare('SELECT secret FROM credentials LIMIT 1').get(); process.stdout.write(String(r.secret.length));`,
    );
    const bareRevealRun = () => time(process.execPath, [bareRevealScript, join(home, 'vault.db')]);
    const nodeRun = () => time(process.execPath, [nodeScript, target], { TV_BENCH_TOKEN: token });
    // curl reads the header from standard input so the token is not in its argv either.
    const curlRun = () => time('sh', ['-c', `printf 'Authorization: Bearer %s' "$TV_BENCH_TOKEN" | curl -sf -o /dev/null -H @- "${target}"`], { TV_BENCH_TOKEN: token });
    await cliRun();
    await cliSessionRun();
    await nodeRun();
    await revealRun();
    await bareRevealRun();
    const c: number[] = [];
    const n: number[] = [];
    const u: number[] = [];
    const rv: number[] = [];
    const rb: number[] = [];
    const cs2: number[] = [];
    for (let i = 0; i < runs; i++) {
      c.push(await cliRun());
      cs2.push(await cliSessionRun());
      n.push(await nodeRun());
      if (hasCurl) u.push(await curlRun());
      rv.push(await revealRun());
      rb.push(await bareRevealRun());
    }
    const cs = summarize(c);
    const ns = summarize(n);
    return {
      runs,
      cliMs: cs,
      bareNodeMs: ns,
      curlMs: hasCurl ? summarize(u) : 'curl not installed',
      ratioToBareNode: round(cs.median / ns.median),
      cliInSessionMs: summarize(cs2),
      inSessionRatioToBareNode: round(summarize(cs2).median / ns.median),
      revealMs: summarize(rv),
      bareNodeReadMs: summarize(rb),
      revealRatioToBareNode: round(summarize(rv).median / summarize(rb).median),
    };
  } finally {
    execFileSync(process.execPath, [cli, 'status'], { env, stdio: 'ignore' });
    await coolset.close();
    rmSync(home, { recursive: true, force: true });
  }
}
