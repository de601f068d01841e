import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { benchBundle } from './bundle.bench';
import { benchChangeWatch } from './change-watch.bench';
import { benchFilter } from './filter.bench';
import { benchCliProcess, benchOneClick } from './request.bench';
import { benchScan } from './scan.bench';
import { benchUi } from './ui.bench';
import { benchVault } from './vault.bench';

/**
 * `npm run bench`: prints JSON with each figure next to its DESIGN.md target
 * and the baseline measured in the same run, and keeps a copy in
 * bench/results/latest.json. A table of the verdicts goes to stderr. Exits 1
 * when a target is missed. `npm run bench -- ui bundle` runs only those parts
 * (vault, request, watch, filter, scan, ui, bundle).
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
          unlock: verdict(r.unlockMs.median, unlockTarget, `median unlock under ${unlockTarget} ms (${n.toLocaleString('en')} tokens)`),
          list: verdict(r.listWorkspaceMs.median, 5, `median list of one workspace under 5 ms (${n.toLocaleString('en')} tokens)`, r.rawBaselineMs.median),
          reveal: verdict(r.revealMs.median, 1.5 * r.rawBaselineMs.median, `median reveal within 1.5x the raw read + decrypt baseline (${n.toLocaleString('en')} tokens)`, r.rawBaselineMs.median),
        },
      });
    }
  }
  let oneClick = null;
  let cliProcess = null;
  if (only.length === 0 || only.includes('request')) {
    const r = await benchOneClick();
    oneClick = { ...r, verdict: verdict(r.overheadMs.median, 1, 'median one-click overhead over a direct fetch at most 1 ms', r.directFetchMs.median) };
    const p = await benchCliProcess();
    cliProcess =
      p.cliMs && p.bareNodeMs && p.revealMs && p.bareNodeReadMs
        ? {
            ...p,
            verdict: verdict(p.cliMs.median, 1.5 * p.bareNodeMs.median, 'median CLI test within 1.5x a bare Node http.get', p.bareNodeMs.median),
            revealVerdict: verdict(p.revealMs.median, 1.5 * p.bareNodeReadMs.median, 'median CLI token reveal within 1.5x a bare Node SQLite read', p.bareNodeReadMs.median),
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
    scan = { ...r, verdict: { value: r.scan.mbPerSecond, target, baseline: r.grep.mbPerSecond, pass: r.scan.mbPerSecond >= target, what: 'scan MB/s at least half of grep -rF -f on the same tree' } };
  }
  // Issue 15: the UI in Chromium at 100,000 tokens in 1,000 workspaces, timed inside the page.
  let ui = null;
  if (only.length === 0 || only.includes('ui')) {
    const r = await benchUi(100_000, 1_000, keychain);
    ui = {
      ...r,
      verdicts: {
        keystroke: verdict(r.keystrokeMs.p95, 16, 'p95 keystroke in "Search tokens" to the updated list within one frame (16 ms)', r.frameFloorMs.p95),
        // DESIGN.md: unlock on the keychain path under 1 s at 100,000 tokens; here with the list drawn. A passphrase adds its key derivation on purpose.
        firstList: verdict(r.unlockToFirstListMs.median, keychain === 'os' ? 1000 : null, 'median Unlock click to the token list drawn (keychain path: under 1 s at 100,000 tokens)', r.listFetchFromPageMs.median),
        openToUnlock: verdict(r.openToUnlockScreenMs.median, null, 'median page open to the unlock screen drawn (no bar in DESIGN.md)', r.documentArrivedMs.median),
      },
    };
  }
  // Issue 15: the renderer's minified JavaScript; rarely used views load on demand (src-renderer/app/lazy-views.tsx).
  let bundle = null;
  if (only.length === 0 || only.includes('bundle')) {
    const r = benchBundle();
    // No size bar in DESIGN.md: the budget is the first load measured when views went on demand (504,698 bytes) plus 10%.
    bundle = { ...r, verdict: verdict(r.firstLoadBytes, 555_000, 'first-load renderer JavaScript, minified bytes (budget: issue 15 measurement + 10%); baseline: all of it', r.totalBytes) };
  }
  const result = {
    measuredAt: new Date().toISOString(),
    // The load average when the run ended (1, 5, 15 min): on a shared machine, read every figure against it.
    machine: { node: process.version, platform: `${process.platform}-${process.arch}`, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', loadAverage: loadavg().map((l) => Math.round(l * 100) / 100) },
    vault,
    oneClick,
    cliProcess,
    changeWatch,
    filter,
    scan,
    ui,
    bundle,
  };
  const text = JSON.stringify(result, null, 2);
  process.stdout.write(`${text}\n`);
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(join(__dirname, 'results', 'latest.json'), `${text}\n`);
  const verdicts = collectVerdicts(result);
  for (const v of verdicts) {
    const mark = v.pass === null ? 'info' : v.pass ? 'PASS' : 'MISS';
    process.stderr.write(`${mark.padEnd(4)}  ${String(v.value).padStart(12)}  target ${String(v.target ?? '-').padStart(10)}  baseline ${String(v.baseline ?? '-').padStart(10)}  ${v.what}\n`);
  }
  const missed = verdicts.filter((v) => v.pass === false);
  process.stderr.write(`${verdicts.length} figures, ${missed.length} targets missed\n`);
  if (missed.length > 0) process.exitCode = 1;
}

interface Verdict {
  value: number;
  target: number | null;
  baseline: number | null;
  pass: boolean | null;
  what: string;
}

/** A figure next to its target (null: DESIGN.md sets none; reported, never failed) and the baseline measured in the same run. */
function verdict(value: number, target: number | null, what: string, baseline: number | null = null): Verdict {
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  return { value: r3(value), target: target === null ? null : r3(target), baseline: baseline === null ? null : r3(baseline), pass: target === null ? null : value <= target, what };
}

/** Every verdict in the result, wherever it sits. */
function collectVerdicts(node: unknown): Verdict[] {
  if (node === null || typeof node !== 'object') return [];
  if ('pass' in node && 'what' in node && 'value' in node) return [node as Verdict];
  return Object.values(node).flatMap(collectVerdicts);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
