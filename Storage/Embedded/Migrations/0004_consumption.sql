-- Change marks: the reading store raises a meter's mark in the transaction that writes its readings; the
-- consumption pass recomputes from the mark and clears it only if its version is still the one it read.
CREATE TABLE reading_changes (
    meter_key INTEGER PRIMARY KEY REFERENCES meters (meter_key),
    from_ms   INTEGER NOT NULL,
    version   INTEGER NOT NULL
);

-- Consumption per meter per grid interval, in the canonical unit of the meter's kind.
CREATE TABLE consumption_intervals (
    meter     TEXT    NOT NULL,
    start_ms  INTEGER NOT NULL,
    amount    REAL    NOT NULL,
    estimated REAL    NOT NULL,
    rejected  REAL    NOT NULL,
    flags     INTEGER NOT NULL,
    PRIMARY KEY (meter, start_ms)
) WITHOUT ROWID;

-- The last reading each meter's intervals are final up to.
CREATE TABLE consumption_watermarks (
    meter       TEXT PRIMARY KEY,
    decided_ms  INTEGER
) WITHOUT ROWID;

-- Hourly, daily and monthly sums per meter and per group (building, institution, region, item code, kind).
CREATE TABLE rollups (
    series    TEXT    NOT NULL,
    period    INTEGER NOT NULL,
    start_ms  INTEGER NOT NULL,
    amount    REAL    NOT NULL,
    estimated REAL    NOT NULL,
    rejected  REAL    NOT NULL,
    flags     INTEGER NOT NULL,
    intervals INTEGER NOT NULL,
    PRIMARY KEY (series, period, start_ms)
) WITHOUT ROWID;
