-- Messages that could not become readings, kept whole so that they can be replayed after a config fix.
CREATE TABLE quarantine (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    source      TEXT    NOT NULL,
    topic       TEXT    NOT NULL,
    payload     BLOB    NOT NULL,
    reason      TEXT    NOT NULL,
    detail      TEXT    NOT NULL,
    received_ms INTEGER NOT NULL
);

CREATE INDEX quarantine_reason ON quarantine (reason);
