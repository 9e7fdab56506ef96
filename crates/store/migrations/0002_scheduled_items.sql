-- Timers, alarms and reminders, and the record of each time one fired.
--
-- Same dialect rules as 0001. An item's due_at is an absolute instant (UTC milliseconds); a
-- recurring alarm also keeps its rule (JSON text, hark-nlu's recurrence shape) and the zone the
-- rule is read in, so its next occurrence is computed by the zone's rules, never by adding 24
-- hours. `version` grows by one on every change, and is what optimistic concurrency and the
-- firing's idempotency key are made of.

CREATE TABLE scheduled_items (
    id TEXT PRIMARY KEY,
    household_id TEXT NOT NULL REFERENCES households (id) ON DELETE CASCADE,
    device_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('timer', 'alarm', 'reminder')),
    name TEXT,
    label TEXT,
    body TEXT,
    state TEXT NOT NULL
        CHECK (state IN ('pending', 'paused', 'ringing', 'fired', 'missed', 'cancelled')),
    due_at BIGINT NOT NULL,
    duration_ms BIGINT,
    remaining_ms BIGINT,
    recurrence TEXT,
    time_zone TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL,
    fire_count BIGINT NOT NULL,
    CHECK ((kind = 'timer') = (duration_ms IS NOT NULL)),
    CHECK ((state = 'paused') = (remaining_ms IS NOT NULL)),
    CHECK ((recurrence IS NULL) OR (kind = 'alarm' AND time_zone IS NOT NULL)),
    -- An item rings on a device of its own household; removing the device removes its items.
    FOREIGN KEY (household_id, device_id) REFERENCES devices (household_id, id) ON DELETE CASCADE
);

-- The run loop's question: what is pending, earliest first.
CREATE INDEX scheduled_items_due ON scheduled_items (state, due_at);
CREATE INDEX scheduled_items_household ON scheduled_items (household_id, kind, created_at);

-- The outbox: one row per occurrence that fired (or was missed), written in the same
-- transaction that marks the item, and acknowledged once the sink has it. The id is
-- "<item id>.<item version when it fired>", so one occurrence can never be recorded twice.
CREATE TABLE scheduled_firings (
    id TEXT PRIMARY KEY,
    item_id TEXT NOT NULL,
    household_id TEXT NOT NULL REFERENCES households (id) ON DELETE CASCADE,
    device_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT,
    label TEXT,
    body TEXT,
    outcome TEXT NOT NULL CHECK (outcome IN ('fired', 'missed')),
    due_at BIGINT NOT NULL,
    fired_at BIGINT NOT NULL,
    delivered_at BIGINT
);

CREATE INDEX scheduled_firings_undelivered ON scheduled_firings (delivered_at, fired_at);
CREATE INDEX scheduled_firings_household ON scheduled_firings (household_id, fired_at);
