-- Readings accepted for a remote store and not yet delivered. One row per accepted batch, in arrival order
-- (id), which is delivery order: a row per reading made SQLite, not the network, the bottleneck.
CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    readings    INTEGER NOT NULL,
    payload     BLOB    NOT NULL,
    enqueued_ms INTEGER NOT NULL
);

-- Readings the remote store refused as invalid, with its reason; kept for an operator, never retried blindly.
CREATE TABLE outbox_rejected (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    meter_id    TEXT    NOT NULL,
    ts_ms       INTEGER NOT NULL,
    value       REAL    NOT NULL,
    quality     INTEGER NOT NULL,
    reason      TEXT    NOT NULL,
    rejected_ms INTEGER NOT NULL
);
