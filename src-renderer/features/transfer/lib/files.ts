// The file helpers moved to lib/files.ts (the first-run screen's "Restore from backup…" uses them too).
export * from '../../../lib/files';
