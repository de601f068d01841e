import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchChangeWatch } from './change-watch.bench';
import { benchFilter } from './filter.bench';
import { benchCliProcess, benchOneClick } from './request.bench';
import { benchScan } from './scan.bench';
import { benchVault } from './vault.bench';

/**
 * `npm run bench`: prints JSON with each figure next to its DESIGN.md target
 * and the baseline measured in the same run, and keeps a copy in
 * bench/results/latest.json.
 */
async function main() {
  const keychain = process.env.DBUS_SESSION_BUS_ADDRESS ? 'os' : 'memory';
  const only = process.argv.slice(2);
  const sizes: [number, number][] = [
    [10_000, 100],
    [100_000, 1_000],
  ];
  const vault = [];
  if (only.length === 0 || only.includes('vault')) {
    for (const [n, w] of sizes) {
      const r = await benchVault(n, w, keychain);
      const unlockTarget = n <= 10_000 ? 100 : 1000;
      vault.push({
        ...r,
        verdicts: {
          unlock: verdict(r.unlockMs.median, unlockTarget, `median unlock under ${unlockTarget} ms`),
          list: verdict(r.listWorkspaceMs.median, 5, 'median list of one workspace under 5 ms'),
          reveal: verdict(r.revealMs.median, 1.5 * r.rawBaselineMs.median, 'median reveal within 1.5x the raw read + decrypt baseline'),
        },
      });
    }
  }
  let oneClick = null;
  let cliProcess = null;
  if (only.length === 0 || only.includes('request')) {
    const r = await benchOneClick();
    oneClick = { ...r, verdict: verdict(r.overheadMs.median, 1, 'median one-click overhead over a direct fetch at most 1 ms') };
    const p = await benchCliProcess();
    cliProcess =
      p.cliMs && p.bareNodeMs && p.revealMs && p.bareNodeReadMs
        ? {
            ...p,
            verdict: verdict(p.cliMs.median, 1.5 * p.bareNodeMs.median, 'median CLI test within 1.5x a bare Node http.get'),
            revealVerdict: verdict(p.revealMs.median, 1.5 * p.bareNodeReadMs.median, 'median CLI token reveal within 1.5x a bare Node SQLite read'),
          }
        : p;
  }
  // How the open app notices other processes' commits (see Vault.watchOtherProcesses).
  let changeWatch = null;
  if (only.length === 0 || only.includes('watch')) {
    const r = await benchChangeWatch();
    changeWatch = { ...r, verdict: verdict(r.pollNoticeDelayMs.max, 1000, 'another process\'s change noticed within a second') };
  }
  let filter = null;
  if (only.length === 0 || only.includes('filter')) {
    const r = benchFilter();
    filter = { ...r, verdict: verdict(r.keystrokeMs.median, 16, 'median keystroke filter of 100,000 tokens within one frame (16 ms)') };
  }
  // Issue 13: leak scan throughput next to grep -rF -f over the same generated tree.
  let scan = null;
  if (only.length === 0 || only.includes('scan')) {
    const r = await benchScan();
    const target = r.grep.mbPerSecond / 2;
    scan = { ...r, verdict: { value: r.scan.mbPerSecond, target, pass: r.scan.mbPerSecond >= target, what: 'scan MB/s at least half of grep -rF -f on the same tree' } };
  }
  const result = {
    measuredAt: new Date().toISOString(),
    machine: { node: process.version, platform: `${process.platform}-${process.arch}`, cpus: (await import('node:os')).cpus().length },
    vault,
    oneClick,
    cliProcess,
    changeWatch,
    filter,
    scan,
  };
  const text = JSON.stringify(result, null, 2);
  process.stdout.write(`${text}\n`);
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(join(__dirname, 'results', 'latest.json'), `${text}\n`);
}

function verdict(value: number, target: number, what: string) {
  return { value: Math.round(value * 1000) / 1000, target: Math.round(target * 1000) / 1000, pass: value <= target, what };
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
