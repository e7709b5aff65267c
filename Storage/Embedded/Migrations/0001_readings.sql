-- Meter ids are text in configuration; readings key on a small integer so that the primary key stays compact.
CREATE TABLE meters (
    meter_key INTEGER PRIMARY KEY,
    meter_id  TEXT NOT NULL UNIQUE
);

-- One row per (meter, instant). WITHOUT ROWID clusters the rows by that key, which is what range scans read.
CREATE TABLE readings (
    meter_key INTEGER NOT NULL REFERENCES meters (meter_key),
    ts_ms     INTEGER NOT NULL,
    value     REAL    NOT NULL,
    quality   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (meter_key, ts_ms)
) WITHOUT ROWID;
