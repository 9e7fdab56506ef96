-- Ringing: an occurrence that fired rings on its device until someone stops or snoozes it, or
-- until the scheduler's ring limit, after which it counts as missed. And the missed ones are
-- told at the next interaction on their device, once.
--
-- All of it lives on the firing (one row per occurrence), since a recurring alarm has moved on
-- to its next occurrence while the last one still rings. A one-off item also shows it: its
-- state is 'ringing' while its firing rings.
--
-- ring_until    when a fired occurrence stops ringing by itself (NULL for a missed one, which
--               never rang)
-- ended_at      when it stopped ringing; NULL while it rings (a missed one, which never rang,
--               is over when recorded, so that "ended_at IS NULL" is exactly what rings)
-- ended_by      why: stopped, snoozed, cancelled (its item was), or unanswered (the ring limit
--               passed; the outcome then becomes 'missed')
-- announced_at  when a missed occurrence was told on its device; NULL until then

ALTER TABLE scheduled_firings ADD COLUMN ring_until BIGINT;
ALTER TABLE scheduled_firings ADD COLUMN ended_at BIGINT;
ALTER TABLE scheduled_firings ADD COLUMN ended_by TEXT
    CHECK (ended_by IN ('stopped', 'snoozed', 'cancelled', 'unanswered'));
ALTER TABLE scheduled_firings ADD COLUMN announced_at BIGINT;

-- An alarm's sound, by name (the device plays it; hark-scheduler checks the name), copied to
-- each firing like the label.
ALTER TABLE scheduled_items ADD COLUMN sound TEXT;
ALTER TABLE scheduled_firings ADD COLUMN sound TEXT;

-- What fired before rings existed has rung already, and its missed ones were reported by the
-- API; none of it rings or is told now.
UPDATE scheduled_firings SET ended_at = fired_at;
UPDATE scheduled_firings SET announced_at = fired_at WHERE outcome = 'missed';

-- The run loop's question: which rings reach their limit next.
CREATE INDEX scheduled_firings_ringing ON scheduled_firings (ended_at, ring_until);
-- A device's questions at each interaction: what rings here, and what was missed here and not
-- told yet.
CREATE INDEX scheduled_firings_device_ringing
    ON scheduled_firings (household_id, device_id, ended_at);
CREATE INDEX scheduled_firings_device_missed
    ON scheduled_firings (household_id, device_id, outcome, announced_at);
