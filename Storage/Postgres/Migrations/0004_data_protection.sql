-- The console's cookie and form keys (ASP.NET Core data protection), shared by every instance on this database, so
-- that a browser signed in on one is signed in on all (docs/OPERATIONS.md § Two instances). Rows are only added;
-- the framework retires old keys itself.
CREATE TABLE data_protection_keys (
    name  text        PRIMARY KEY,
    xml   text        NOT NULL,
    added timestamptz NOT NULL DEFAULT now()
);
