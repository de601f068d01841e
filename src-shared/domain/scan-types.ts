/** What `tokenvault scan` and the "Scan a folder" view report (issue 13): names and fingerprints, never a value. */
export interface ScanFinding {
  /** A file as found on disk (with --git-history / --staged: the path in the commit or the index). */
  path: string;
  commit: string | null;
  staged: boolean;
  /** 1-based. */
  line: number;
  /** 1-based, in characters of the line. */
  column: number;
  token: { id: string; name: string; workspace: string; environment: string; fingerprint: string; part: 'value' | 'refresh' };
}

export interface ScanReport {
  findings: ScanFinding[];
  scanned: { files: number; bytes: number };
  skipped: { binary: number; huge: number; unreadable: number };
  /** Stored tokens the scan could not look for (their record does not authenticate). */
  unreadableTokens: string[];
  tokensSearched: number;
}
