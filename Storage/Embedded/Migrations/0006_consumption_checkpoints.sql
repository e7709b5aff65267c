-- Points from which a meter's consumption can be recomputed exactly (see ConsumptionCheckpoint); they replace the
-- single "decided through" watermark, which could not say where to resume after a reading arrived late.
DROP TABLE consumption_watermarks;

CREATE TABLE consumption_checkpoints (
    meter          TEXT    NOT NULL,
    boundary_ms    INTEGER NOT NULL,
    anchor_ms      INTEGER NOT NULL,
    anchor_value   REAL    NOT NULL,
    anchor_quality INTEGER NOT NULL,
    run_since_ms   INTEGER NOT NULL,
    horizon_ms     INTEGER NOT NULL,
    PRIMARY KEY (meter, boundary_ms)
) WITHOUT ROWID;

-- Consumption computed under the old rules is recomputed from the readings at the next pass.
DELETE FROM consumption_intervals;
DELETE FROM rollups;
INSERT INTO reading_changes (meter_key, from_ms, version) SELECT meter_key, 0, 1 FROM meters WHERE true
    ON CONFLICT (meter_key) DO UPDATE SET from_ms = 0, version = version + 1;
