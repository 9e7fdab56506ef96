-- Households, their devices, and the API tokens that act for them.
--
-- Written in the subset of SQL that both SQLite and PostgreSQL accept: TEXT, BIGINT and
-- DOUBLE PRECISION columns, timestamps as BIGINT milliseconds since the Unix epoch (UTC).
-- Every row a household owns carries its household_id, and every query filters on it.

CREATE TABLE households (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    location_name TEXT,
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    created_at BIGINT NOT NULL,
    CHECK ((location_name IS NULL) = (latitude IS NULL) AND (latitude IS NULL) = (longitude IS NULL))
);

CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    household_id TEXT NOT NULL REFERENCES households (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    -- The name as compared: lower case, computed by hark (not by the engine, whose lower()
    -- differs: SQLite's folds ASCII only).
    name_key TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    -- Lets tokens reference (household_id, id), so a token can only name a device of its own
    -- household.
    UNIQUE (household_id, id),
    UNIQUE (household_id, name_key)
);

CREATE TABLE tokens (
    -- The public part of the token text; the secret is stored only as a SHA-256 hash.
    id TEXT PRIMARY KEY,
    household_id TEXT NOT NULL REFERENCES households (id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    scope TEXT NOT NULL CHECK (scope IN ('admin', 'device')),
    device_id TEXT,
    secret_sha256 TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT,
    CHECK ((scope = 'device') = (device_id IS NOT NULL)),
    -- Removing a device removes its tokens: they stop working at once.
    FOREIGN KEY (household_id, device_id) REFERENCES devices (household_id, id) ON DELETE CASCADE
);

CREATE INDEX tokens_household ON tokens (household_id, created_at);
CREATE INDEX tokens_device ON tokens (household_id, device_id);
