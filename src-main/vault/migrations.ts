/**
 * Schema migrations, numbered by `PRAGMA user_version`. Each entry takes the
 * database from version i to i+1 and runs in one transaction with the version
 * bump. Never edit a shipped migration: append a new one.
 *
 * Plaintext columns are the ones needed while locked (ids, kinds, statuses,
 * timestamps for reminders). Everything the user typed lives in the sealed
 * `meta` / `secret` / `data` blobs; `name_mac` is a keyed hash for uniqueness
 * and lookup by name.
 */
export const MIGRATIONS: readonly string[] = [
  /* 1 */ `
  CREATE TABLE vault_meta (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    vault_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    key_source TEXT NOT NULL CHECK (key_source IN ('keychain', 'passphrase')),
    kdf_params TEXT,
    wrapped_key BLOB,
    key_check BLOB NOT NULL,
    unlock_failures INTEGER NOT NULL DEFAULT 0,
    last_failure_at INTEGER,
    audit_head_seq INTEGER NOT NULL DEFAULT 0,
    audit_head_mac BLOB
  );

  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );

  CREATE TABLE workspaces (
    id TEXT PRIMARY KEY,
    name_mac BLOB NOT NULL UNIQUE,
    meta BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );

  CREATE TABLE environments (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name_mac BLOB NOT NULL,
    production INTEGER NOT NULL CHECK (production IN (0, 1)),
    meta BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (workspace_id, name_mac)
  );

  CREATE TABLE credentials (
    id TEXT PRIMARY KEY,
    environment_id TEXT NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name_mac BLOB NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('bearer', 'api_key', 'jwt_session')),
    status TEXT NOT NULL CHECK (status IN ('active', 'expired', 'revoked', 'invalid')),
    meta BLOB NOT NULL,
    secret BLOB,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    expires_at INTEGER,
    rotated_at INTEGER NOT NULL,
    rotation_days INTEGER,
    last_used_at INTEGER,
    last_tested_at INTEGER,
    last_test_outcome TEXT,
    UNIQUE (environment_id, name_mac)
  );
  CREATE INDEX credentials_by_workspace ON credentials (workspace_id, environment_id);
  CREATE INDEX credentials_by_expiry ON credentials (expires_at) WHERE expires_at IS NOT NULL;

  -- Append-only: each row's mac covers the previous row's mac (a hash chain
  -- under a key derived from the vault key), and vault_meta keeps the head so
  -- a truncated tail is caught too.
  CREATE TABLE audit (
    seq INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    type TEXT NOT NULL,
    credential_id TEXT,
    data BLOB,
    mac BLOB NOT NULL
  );
  CREATE INDEX audit_by_credential ON audit (credential_id) WHERE credential_id IS NOT NULL;
  CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
  CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;

  -- Events that happen while locked (failed unlocks) cannot be MACed yet; they
  -- wait here and join the chain at the next unlock.
  CREATE TABLE pending_audit (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    type TEXT NOT NULL
  );
  `,
  /* 2 */ `
  -- One row per test or request sent with a credential: when, and how it
  -- went, in plaintext (for lists while locked); method, path, status,
  -- explanation and timings sealed in data. Never a value or a body.
  CREATE TABLE test_history (
    id INTEGER PRIMARY KEY,
    credential_id TEXT NOT NULL REFERENCES credentials(id) ON DELETE CASCADE,
    at INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    data BLOB NOT NULL
  );
  CREATE INDEX test_history_by_credential ON test_history (credential_id, at);
  `,
  /* 3 */ `
  -- Reminders run while the vault is locked, so what they need is plaintext:
  -- ids, thresholds, instants and numbers of days, never a name.

  -- One row per reminder shown: a threshold fires once per credential, kind
  -- and due date, across restarts. A new due date (after a rotation, a changed
  -- expiry) has no rows yet, so its thresholds fire again.
  CREATE TABLE reminders_sent (
    credential_id TEXT NOT NULL REFERENCES credentials(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('expiry', 'rotation')),
    threshold INTEGER NOT NULL CHECK (threshold >= 0),
    due_at INTEGER NOT NULL,
    sent_at INTEGER NOT NULL,
    PRIMARY KEY (credential_id, kind, threshold, due_at)
  ) WITHOUT ROWID;

  CREATE TABLE reminder_snoozes (
    credential_id TEXT PRIMARY KEY REFERENCES credentials(id) ON DELETE CASCADE,
    until INTEGER NOT NULL
  );

  -- The reminders look every minute for dates near now; these keep that a
  -- lookup of the few near rows instead of a scan of the whole vault.
  CREATE INDEX credentials_by_rotation_due ON credentials (rotated_at + rotation_days * 86400000);
  CREATE INDEX credentials_marked_expired ON credentials (id) WHERE status = 'expired';

  -- Rotation defaults of a workspace: its own, and its provider's advice as a
  -- number (the provider id itself stays in the sealed workspace meta).
  CREATE TABLE workspace_policies (
    workspace_id TEXT PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
    rotation_days INTEGER CHECK (rotation_days IS NULL OR rotation_days > 0),
    provider_rotation_days INTEGER CHECK (provider_rotation_days IS NULL OR provider_rotation_days > 0)
  );
  `,
  /* 4 */ `
  -- The last permission probe of a credential: documented vs observed per
  -- endpoint and method, sealed (paths and notes are the user's business).
  CREATE TABLE probe_reports (
    credential_id TEXT PRIMARY KEY REFERENCES credentials(id) ON DELETE CASCADE,
    at INTEGER NOT NULL,
    data BLOB NOT NULL
  );
  `,
  /* 5 */ `
  -- Rotation flows, one row per rotation a user starts: which step it is at,
  -- so a flow survives a restart. Plaintext ids, steps and instants only; the
  -- new token itself is an ordinary (sealed) credential.
  CREATE TABLE rotation_flows (
    id TEXT PRIMARY KEY,
    old_credential_id TEXT NOT NULL REFERENCES credentials(id) ON DELETE CASCADE,
    new_credential_id TEXT REFERENCES credentials(id) ON DELETE SET NULL,
    mode TEXT NOT NULL CHECK (mode IN ('create', 'manual')),
    step TEXT NOT NULL CHECK (step IN ('started', 'value_provided', 'tested', 'switched', 'finished', 'abandoned')),
    -- 1 when Tokenvault created the new token at the provider (so abandoning deletes it there).
    created_remotely INTEGER NOT NULL DEFAULT 0 CHECK (created_remotely IN (0, 1)),
    overlap_days INTEGER CHECK (overlap_days IS NULL OR overlap_days >= 0),
    revoke_planned_at INTEGER,
    started_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  -- One open rotation per token: a second one would race the first.
  CREATE UNIQUE INDEX rotation_flows_open ON rotation_flows (old_credential_id) WHERE step NOT IN ('finished', 'abandoned');
  `,
  /* 6 (issue 10) */ `
  -- Where a credential's expiry comes from: each source's date as last known
  -- (the date entered, a chosen duration, the provider's own record, the
  -- refresh token's end), which one decided, and the calendar date of a
  -- date-only expiry. Plaintext dates and source names only, like expires_at.
  CREATE TABLE credential_expiry (
    credential_id TEXT PRIMARY KEY REFERENCES credentials(id) ON DELETE CASCADE,
    explicit_at INTEGER,
    explicit_date TEXT,
    duration_at INTEGER,
    provider_at INTEGER,
    refresh_at INTEGER,
    source TEXT
  );
  -- "Last tested" (every attempt) stays in credentials.last_tested_at;
  -- last_used_at now moves only on an authenticated answer or the provider's record.
  `,
  /* 7 (issue 9): rate-limit holds */ `
  -- A provider's "come back later" (429 or 503 with Retry-After), kept per
  -- environment and credential so every process (CLI, browser mode, the app)
  -- holds back until then. Plaintext ids, a status and instants only.
  CREATE TABLE rate_limit_holds (
    environment_id TEXT NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
    credential_id TEXT NOT NULL REFERENCES credentials(id) ON DELETE CASCADE,
    until_at INTEGER NOT NULL,
    status INTEGER NOT NULL CHECK (status IN (429, 503)),
    source TEXT NOT NULL CHECK (source IN ('Retry-After', 'reset')),
    set_at INTEGER NOT NULL,
    PRIMARY KEY (environment_id, credential_id)
  );
  `,
  /* 8 (issue 12): blind index of values */ `
  -- A blind index of token values: an HMAC under the vault's index key, never
  -- the value, so the same value in sandbox and production is caught at once.
  -- No foreign key: the row is written while its credential's row is being
  -- written; the trigger removes it with the credential.
  CREATE TABLE secret_index (
    credential_id TEXT PRIMARY KEY,
    value_mac BLOB NOT NULL
  );
  CREATE INDEX secret_index_by_mac ON secret_index (value_mac);
  CREATE TRIGGER secret_index_cleanup AFTER DELETE ON credentials BEGIN
    DELETE FROM secret_index WHERE credential_id = old.id;
  END;
  `,
  /* 9 (issue 14): scheduled backups */ `
  -- One scheduled backup per vault: how often and how many to keep in
  -- plaintext (numbers only); the folder and the backup passphrase sealed
  -- under the vault key in config; the last run's outcome and instants in
  -- plaintext, its file name or error (which name the folder) sealed in
  -- last_report. Runs only while the vault is unlocked.
  CREATE TABLE backup_schedule (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    every_ms INTEGER NOT NULL CHECK (every_ms > 0),
    keep INTEGER NOT NULL CHECK (keep BETWEEN 1 AND 1000),
    config BLOB NOT NULL,
    updated_at INTEGER NOT NULL,
    last_attempt_at INTEGER,
    last_success_at INTEGER,
    last_outcome TEXT CHECK (last_outcome IN ('ok', 'failed')),
    last_report BLOB
  );
  `,
  /* 10 (fix: lock must end sessions for good) */ `
  -- Ending CLI sessions (tokenvault lock, the app's lock) raises this number;
  -- a session is sealed with the number current when it began and opens only
  -- while it is still current, so a session file copied aside and put back
  -- after a lock opens nothing.
  ALTER TABLE vault_meta ADD COLUMN sessions_generation INTEGER NOT NULL DEFAULT 0;
  `,
  /* 11 (issue 15): a write generation in each sealed cell's additional data */ `
  -- Each sealed cell of these tables (and the scheduled backup's folder and
  -- passphrase, and its last report) is sealed with a fresh random number
  -- (kept here, in plaintext) in its additional data, so an older box of the
  -- same cell written back fails to open (see cipher.ts). 0: written before
  -- this migration with the v1 additional data. Those cells need the vault
  -- key, so they are re-sealed at the first unlock (cell-upgrade.ts), which
  -- then sets cell_format to 2; from then on only v2 boxes open.
  ALTER TABLE workspaces ADD COLUMN meta_gen INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE environments ADD COLUMN meta_gen INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE credentials ADD COLUMN meta_gen INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE credentials ADD COLUMN secret_gen INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE backup_schedule ADD COLUMN config_gen INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE backup_schedule ADD COLUMN last_report_gen INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE vault_meta ADD COLUMN cell_format INTEGER NOT NULL DEFAULT 1;
  `,
  /* 12 (issue 15): reveal reads one small index */ `
  -- Reveal is a point read of one token's value. A credentials row is ~450
  -- bytes (its sealed meta included), so at 100,000 tokens the table outgrows
  -- the page cache and each reveal walks the id index and then the table.
  -- This index holds only what a reveal reads (the sealed value and its
  -- generation: ciphertext, as in the table), so a reveal is one walk down a
  -- tree a third of the size. secret-repo.ts names it (INDEXED BY): the
  -- planner prefers the unique id index otherwise.
  CREATE INDEX credentials_secret_by_id ON credentials (id, secret_gen, secret);
  `,
  /* 13 (issue 15): refuse a sealed cell written without a new generation */ `
  -- A Tokenvault process started before migration 11 and still running
  -- writes sealed cells the old way: an INSERT without the generation
  -- columns (gen 0, v1 additional data) or an UPDATE of the box that leaves
  -- its generation as it was. Either makes the cell unreadable (CORRUPT) for
  -- every newer process: a rotation made there would lose its new value. These
  -- triggers refuse such a write (the writer's transaction rolls back, the
  -- cell keeps its readable box), whatever code makes it.
  --   UPDATE: the box changes but its generation does not. Allowed while the
  --   vault is at cell_format 1 and the cell still has gen 0 (v1 cells are
  --   written the old way until the first unlock upgrades them all).
  --   INSERT: a box (not NULL) with gen 0 once cell_format is 2. The first
  --   unlock's upgrade only UPDATEs (gen 0 -> a fresh one); restore, merge
  --   and import insert with fresh generations; a wiped value is NULL.
  -- The WHEN clauses compare columns of the row; vault_meta is read only
  -- when a generation is 0 (rare after the upgrade). Every message starts
  -- with 'stale write refused:' (write-lock.ts maps it to a typed error); a
  -- later migration adding guards must keep that start.
  CREATE TRIGGER gen_guard_workspaces_update BEFORE UPDATE OF meta ON workspaces
    WHEN (NEW.meta IS NOT OLD.meta AND NEW.meta_gen IS OLD.meta_gen AND (OLD.meta_gen <> 0 OR (SELECT cell_format FROM vault_meta WHERE id = 1) >= 2))
    BEGIN SELECT RAISE(ABORT, 'stale write refused: a Tokenvault process older than this vault wrote a sealed cell without a new write generation; restart it'); END;
  CREATE TRIGGER gen_guard_workspaces_insert BEFORE INSERT ON workspaces
    WHEN (NEW.meta_gen = 0) AND (SELECT cell_format FROM vault_meta WHERE id = 1) >= 2
    BEGIN SELECT RAISE(ABORT, 'stale write refused: a Tokenvault process older than this vault wrote a sealed cell without a new write generation; restart it'); END;
  CREATE TRIGGER gen_guard_environments_update BEFORE UPDATE OF meta ON environments
    WHEN (NEW.meta IS NOT OLD.meta AND NEW.meta_gen IS OLD.meta_gen AND (OLD.meta_gen <> 0 OR (SELECT cell_format FROM vault_meta WHERE id = 1) >= 2))
    BEGIN SELECT RAISE(ABORT, 'stale write refused: a Tokenvault process older than this vault wrote a sealed cell without a new write generation; restart it'); END;
  CREATE TRIGGER gen_guard_environments_insert BEFORE INSERT ON environments
    WHEN (NEW.meta_gen = 0) AND (SELECT cell_format FROM vault_meta WHERE id = 1) >= 2
    BEGIN SELECT RAISE(ABORT, 'stale write refused: a Tokenvault process older than this vault wrote a sealed cell without a new write generation; restart it'); END;
  CREATE TRIGGER gen_guard_credentials_update BEFORE UPDATE OF meta, secret ON credentials
    WHEN (NEW.meta IS NOT OLD.meta AND NEW.meta_gen IS OLD.meta_gen AND (OLD.meta_gen <> 0 OR (SELECT cell_format FROM vault_meta WHERE id = 1) >= 2))
      OR (NEW.secret IS NOT OLD.secret AND NEW.secret_gen IS OLD.secret_gen AND (OLD.secret_gen <> 0 OR (SELECT cell_format FROM vault_meta WHERE id = 1) >= 2))
    BEGIN SELECT RAISE(ABORT, 'stale write refused: a Tokenvault process older than this vault wrote a sealed cell without a new write generation; restart it'); END;
  CREATE TRIGGER gen_guard_credentials_insert BEFORE INSERT ON credentials
    WHEN (NEW.meta_gen = 0 OR (NEW.secret IS NOT NULL AND NEW.secret_gen = 0)) AND (SELECT cell_format FROM vault_meta WHERE id = 1) >= 2
    BEGIN SELECT RAISE(ABORT, 'stale write refused: a Tokenvault process older than this vault wrote a sealed cell without a new write generation; restart it'); END;
  CREATE TRIGGER gen_guard_backup_schedule_update BEFORE UPDATE OF config, last_report ON backup_schedule
    WHEN (NEW.config IS NOT OLD.config AND NEW.config_gen IS OLD.config_gen AND (OLD.config_gen <> 0 OR (SELECT cell_format FROM vault_meta WHERE id = 1) >= 2))
      OR (NEW.last_report IS NOT OLD.last_report AND NEW.last_report_gen IS OLD.last_report_gen AND (OLD.last_report_gen <> 0 OR (SELECT cell_format FROM vault_meta WHERE id = 1) >= 2))
    BEGIN SELECT RAISE(ABORT, 'stale write refused: a Tokenvault process older than this vault wrote a sealed cell without a new write generation; restart it'); END;
  CREATE TRIGGER gen_guard_backup_schedule_insert BEFORE INSERT ON backup_schedule
    WHEN (NEW.config_gen = 0 OR (NEW.last_report IS NOT NULL AND NEW.last_report_gen = 0)) AND (SELECT cell_format FROM vault_meta WHERE id = 1) >= 2
    BEGIN SELECT RAISE(ABORT, 'stale write refused: a Tokenvault process older than this vault wrote a sealed cell without a new write generation; restart it'); END;
  `,
  /* 14 (issue 15): probe reports carry a write generation */ `
  -- A probe report is replaced in place (one per token), so until now the
  -- report from before a re-probe, written back into its row, still opened.
  -- Its box now binds a write generation like the cells of migration 11
  -- (0: written before this migration, v1 additional data); the first unlock
  -- re-seals those (cell-upgrade.ts, cell format 2 -> 3).
  ALTER TABLE probe_reports ADD COLUMN data_gen INTEGER NOT NULL DEFAULT 0;
  -- Guards as migration 13's, for this cell, from cell_format 3 on: a build
  -- of schema 13 still running writes reports the old way (an upsert that
  -- leaves data_gen as it was, or inserts it as 0) until the upgrade.
  CREATE TRIGGER gen_guard_probe_reports_update BEFORE UPDATE OF data ON probe_reports
    WHEN (NEW.data IS NOT OLD.data AND NEW.data_gen IS OLD.data_gen AND (OLD.data_gen <> 0 OR (SELECT cell_format FROM vault_meta WHERE id = 1) >= 3))
    BEGIN SELECT RAISE(ABORT, 'stale write refused: a Tokenvault process older than this vault wrote a sealed cell without a new write generation; restart it'); END;
  CREATE TRIGGER gen_guard_probe_reports_insert BEFORE INSERT ON probe_reports
    WHEN (NEW.data_gen = 0) AND (SELECT cell_format FROM vault_meta WHERE id = 1) >= 3
    BEGIN SELECT RAISE(ABORT, 'stale write refused: a Tokenvault process older than this vault wrote a sealed cell without a new write generation; restart it'); END;
  `,
  /* 15 (issue 15): a sealed digest of every live cell's write generation */ `
  -- A whole row put back (an old box together with its old generation), a
  -- row deleted, or one copied in from another copy of the vault, still
  -- opens cell by cell. cell_digest is the XOR of one SHA-256 term per live
  -- sealed cell (table, column, row id, generation; see cell-digest.ts),
  -- kept by the triggers below through every insert, update and delete,
  -- foreign-key cascades included; cell_digest_mac seals it (and the audit
  -- head) under a subkey of the vault key, refreshed by the writing process
  -- at the end of each write transaction. Audit verification recomputes it.
  -- NULL: not sealed yet; the first unlock (or the creation) seals it.
  -- tv_cell_digest and tv_digest_touch are application functions each
  -- connection registers (db.ts): a connection without them (a build from
  -- before this migration) cannot write a sealed cell.
  ALTER TABLE vault_meta ADD COLUMN cell_digest BLOB NOT NULL DEFAULT X'0000000000000000000000000000000000000000000000000000000000000000';
  ALTER TABLE vault_meta ADD COLUMN cell_digest_mac BLOB;
  CREATE TRIGGER cell_digest_workspaces_insert AFTER INSERT ON workspaces
    BEGIN UPDATE vault_meta SET cell_digest = tv_cell_digest(cell_digest, cell_digest_mac, audit_head_seq, 'workspaces', 'meta', NEW.id, CASE WHEN NEW.meta IS NULL THEN NULL ELSE NEW.meta_gen END) WHERE id = 1; END;
  CREATE TRIGGER cell_digest_workspaces_update AFTER UPDATE OF id, meta, meta_gen ON workspaces
    BEGIN UPDATE vault_meta SET cell_digest = tv_cell_digest(cell_digest, cell_digest_mac, audit_head_seq, 'workspaces', 'meta', OLD.id, CASE WHEN OLD.meta IS NULL THEN NULL ELSE OLD.meta_gen END, 'meta', NEW.id, CASE WHEN NEW.meta IS NULL THEN NULL ELSE NEW.meta_gen END) WHERE id = 1; END;
  CREATE TRIGGER cell_digest_workspaces_delete AFTER DELETE ON workspaces
    BEGIN UPDATE vault_meta SET cell_digest = tv_cell_digest(cell_digest, cell_digest_mac, audit_head_seq, 'workspaces', 'meta', OLD.id, CASE WHEN OLD.meta IS NULL THEN NULL ELSE OLD.meta_gen END) WHERE id = 1; END;
  CREATE TRIGGER cell_digest_environments_insert AFTER INSERT ON environments
    BEGIN UPDATE vault_meta SET cell_digest = tv_cell_digest(cell_digest, cell_digest_mac, audit_head_seq, 'environments', 'meta', NEW.id, CASE WHEN NEW.meta IS NULL THEN NULL ELSE NEW.meta_gen END) WHERE id = 1; END;
  CREATE TRIGGER cell_digest_environments_update AFTER UPDATE OF id, meta, meta_gen ON environments
    BEGIN UPDATE vault_meta SET cell_digest = tv_cell_digest(cell_digest, cell_digest_mac, audit_head_seq, 'environments', 'meta', OLD.id, CASE WHEN OLD.meta IS NULL THEN NULL ELSE OLD.meta_gen END, 'meta', NEW.id, CASE WHEN NEW.meta IS NULL THEN NULL ELSE NEW.meta_gen END) WHERE id = 1; END;
  CREATE TRIGGER cell_digest_environments_delete AFTER DELETE ON environments
    BEGIN UPDATE vault_meta SET cell_digest = tv_cell_digest(cell_digest, cell_digest_mac, audit_head_seq, 'environments', 'meta', OLD.id, CASE WHEN OLD.meta IS NULL THEN NULL ELSE OLD.meta_gen END) WHERE id = 1; END;
  CREATE TRIGGER cell_digest_credentials_insert AFTER INSERT ON credentials
    BEGIN UPDATE vault_meta SET cell_digest = tv_cell_digest(cell_digest, cell_digest_mac, audit_head_seq, 'credentials', 'meta', NEW.id, CASE WHEN NEW.meta IS NULL THEN NULL ELSE NEW.meta_gen END, 'secret', NEW.id, CASE WHEN NEW.secret IS NULL THEN NULL ELSE NEW.secret_gen END) WHERE id = 1; END;
  CREATE TRIGGER cell_digest_credentials_update AFTER UPDATE OF id, meta, meta_gen, secret, secret_gen ON credentials
    BEGIN UPDATE vault_meta SET cell_digest = tv_cell_digest(cell_digest, cell_digest_mac, audit_head_seq, 'credentials', 'meta', OLD.id, CASE WHEN OLD.meta IS NULL THEN NULL ELSE OLD.meta_gen END, 'meta', NEW.id, CASE WHEN NEW.meta IS NULL THEN NULL ELSE NEW.meta_gen END, 'secret', OLD.id, CASE WHEN OLD.secret IS NULL THEN NULL ELSE OLD.secret_gen END, 'secret', NEW.id, CASE WHEN NEW.secret IS NULL THEN NULL ELSE NEW.secret_gen END) WHERE id = 1; END;
  CREATE TRIGGER cell_digest_credentials_delete AFTER DELETE ON credentials
    BEGIN UPDATE vault_meta SET cell_digest = tv_cell_digest(cell_digest, cell_digest_mac, audit_head_seq, 'credentials', 'meta', OLD.id, CASE WHEN OLD.meta IS NULL THEN NULL ELSE OLD.meta_gen END, 'secret', OLD.id, CASE WHEN OLD.secret IS NULL THEN NULL ELSE OLD.secret_gen END) WHERE id = 1; END;
  CREATE TRIGGER cell_digest_backup_schedule_insert AFTER INSERT ON backup_schedule
    BEGIN UPDATE vault_meta SET cell_digest = tv_cell_digest(cell_digest, cell_digest_mac, audit_head_seq, 'backup_schedule', 'config', NEW.id, CASE WHEN NEW.config IS NULL THEN NULL ELSE NEW.config_gen END, 'last_report', NEW.id, CASE WHEN NEW.last_report IS NULL THEN NULL ELSE NEW.last_report_gen END) WHERE id = 1; END;
  CREATE TRIGGER cell_digest_backup_schedule_update AFTER UPDATE OF id, config, config_gen, last_report, last_report_gen ON backup_schedule
    BEGIN UPDATE vault_meta SET cell_digest = tv_cell_digest(cell_digest, cell_digest_mac, audit_head_seq, 'backup_schedule', 'config', OLD.id, CASE WHEN OLD.config IS NULL THEN NULL ELSE OLD.config_gen END, 'config', NEW.id, CASE WHEN NEW.config IS NULL THEN NULL ELSE NEW.config_gen END, 'last_report', OLD.id, CASE WHEN OLD.last_report IS NULL THEN NULL ELSE OLD.last_report_gen END, 'last_report', NEW.id, CASE WHEN NEW.last_report IS NULL THEN NULL ELSE NEW.last_report_gen END) WHERE id = 1; END;
  CREATE TRIGGER cell_digest_backup_schedule_delete AFTER DELETE ON backup_schedule
    BEGIN UPDATE vault_meta SET cell_digest = tv_cell_digest(cell_digest, cell_digest_mac, audit_head_seq, 'backup_schedule', 'config', OLD.id, CASE WHEN OLD.config IS NULL THEN NULL ELSE OLD.config_gen END, 'last_report', OLD.id, CASE WHEN OLD.last_report IS NULL THEN NULL ELSE OLD.last_report_gen END) WHERE id = 1; END;
  CREATE TRIGGER cell_digest_probe_reports_insert AFTER INSERT ON probe_reports
    BEGIN UPDATE vault_meta SET cell_digest = tv_cell_digest(cell_digest, cell_digest_mac, audit_head_seq, 'probe_reports', 'data', NEW.credential_id, CASE WHEN NEW.data IS NULL THEN NULL ELSE NEW.data_gen END) WHERE id = 1; END;
  CREATE TRIGGER cell_digest_probe_reports_update AFTER UPDATE OF credential_id, data, data_gen ON probe_reports
    BEGIN UPDATE vault_meta SET cell_digest = tv_cell_digest(cell_digest, cell_digest_mac, audit_head_seq, 'probe_reports', 'data', OLD.credential_id, CASE WHEN OLD.data IS NULL THEN NULL ELSE OLD.data_gen END, 'data', NEW.credential_id, CASE WHEN NEW.data IS NULL THEN NULL ELSE NEW.data_gen END) WHERE id = 1; END;
  CREATE TRIGGER cell_digest_probe_reports_delete AFTER DELETE ON probe_reports
    BEGIN UPDATE vault_meta SET cell_digest = tv_cell_digest(cell_digest, cell_digest_mac, audit_head_seq, 'probe_reports', 'data', OLD.credential_id, CASE WHEN OLD.data IS NULL THEN NULL ELSE OLD.data_gen END) WHERE id = 1; END;
  CREATE TRIGGER cell_digest_audit_head AFTER UPDATE OF audit_head_seq ON vault_meta
    BEGIN SELECT tv_digest_touch(OLD.cell_digest, OLD.cell_digest_mac, OLD.audit_head_seq); END;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
