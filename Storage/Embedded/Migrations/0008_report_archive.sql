-- The index of generated reports: one row per period, scope and format (the newest file), with its SHA-256.
CREATE TABLE report_archive (
    id            INTEGER PRIMARY KEY,
    period        TEXT    NOT NULL,
    scope         TEXT    NOT NULL,
    format        TEXT    NOT NULL,
    path          TEXT    NOT NULL,
    sha256        TEXT    NOT NULL,
    bytes         INTEGER NOT NULL,
    generated_ms  INTEGER NOT NULL,
    UNIQUE (period, scope, format)
);
