-- Indicators as computed by the daily job: one JSON document per institution and day, with the coefficient set used.
CREATE TABLE indicators (
    institution     TEXT    NOT NULL,
    through_ms      INTEGER NOT NULL,
    coefficient_set TEXT    NOT NULL,
    document        TEXT    NOT NULL,
    PRIMARY KEY (institution, through_ms)
) WITHOUT ROWID;
