-- Alerts with their lifecycle, and the notifications owed to each channel (a durable outbox per channel:
-- a notification stays until its channel accepted it, so an alert raised while a channel is down is sent later).
CREATE TABLE alerts (
    id               INTEGER PRIMARY KEY,
    key              TEXT    NOT NULL,
    rule             TEXT    NOT NULL,
    subject          TEXT    NOT NULL,
    severity         INTEGER NOT NULL,
    state            INTEGER NOT NULL,
    building         TEXT,
    finding          TEXT    NOT NULL,
    opened_ms        INTEGER NOT NULL,
    last_seen_ms     INTEGER NOT NULL,
    acknowledged_ms  INTEGER,
    acknowledged_by  TEXT,
    resolved_ms      INTEGER
);

-- At most one active alert per condition: deduplication is the database's rule, not only the engine's.
CREATE UNIQUE INDEX alerts_active_key ON alerts (key) WHERE state <> 2;
CREATE INDEX alerts_opened ON alerts (opened_ms);

CREATE TABLE alert_notifications (
    id            INTEGER PRIMARY KEY,
    alert_id      INTEGER NOT NULL REFERENCES alerts (id),
    channel       TEXT    NOT NULL,
    kind          INTEGER NOT NULL,
    created_ms    INTEGER NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    next_ms       INTEGER NOT NULL,
    delivered_ms  INTEGER,
    last_error    TEXT
);

CREATE INDEX alert_notifications_due ON alert_notifications (channel, next_ms) WHERE delivered_ms IS NULL;
