-- Several instances on one database (docs/OPERATIONS.md § Two instances). Times are the database's own (now()),
-- so that instances whose clocks disagree still agree on when a lease ends.

-- Each instance's last renewal round: the live ones share the work.
CREATE TABLE cluster_instances (
    instance_id text        PRIMARY KEY,
    heartbeat   timestamptz NOT NULL,
    started     timestamptz NOT NULL DEFAULT now()
);

-- One row per item of leased work (gateway:ID, alert-delivery): who holds it and until when. A row whose holder is
-- NULL or whose lease has ended is free to claim.
CREATE TABLE work_leases (
    work    text        PRIMARY KEY,
    holder  text,
    expires timestamptz NOT NULL DEFAULT '-infinity',
    since   timestamptz
);
