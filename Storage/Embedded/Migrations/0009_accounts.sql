-- People who sign in to the console, their sessions, what they did, and the submission explanations they entered
-- (docs/OPERATIONS.md § Accounts). Times are Unix milliseconds, as everywhere in this file.
CREATE TABLE users (
    name            TEXT    PRIMARY KEY,
    display_name    TEXT    NOT NULL,
    role            TEXT    NOT NULL,
    password_hash   TEXT    NOT NULL,
    disabled        INTEGER NOT NULL DEFAULT 0,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until_ms INTEGER,
    created_ms      INTEGER NOT NULL,
    changed_ms      INTEGER NOT NULL
);

-- The cookie carries a random id; only its SHA-256 is kept, so a copy of the database signs nobody in.
CREATE TABLE console_sessions (
    id_hash    TEXT    PRIMARY KEY,
    user_name  TEXT    NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    started_ms INTEGER NOT NULL,
    seen_ms    INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL
);
CREATE INDEX console_sessions_user ON console_sessions (user_name);

CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY,
    at_ms   INTEGER NOT NULL,
    actor   TEXT    NOT NULL,
    action  TEXT    NOT NULL,
    subject TEXT    NOT NULL,
    detail  TEXT    NOT NULL
);

CREATE TABLE submission_explanations (
    year        INTEGER NOT NULL,
    institution TEXT    NOT NULL,
    field       TEXT    NOT NULL,
    reason      TEXT    NOT NULL,
    by_user     TEXT    NOT NULL,
    at_ms       INTEGER NOT NULL,
    PRIMARY KEY (year, institution, field)
);
