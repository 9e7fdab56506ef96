-- Players: each device's queue of tracks and where it is in it, and its volume. One row per
-- device that has played or had its volume set; a device without a row is stopped, with an
-- empty queue, at volume 50, not muted.
--
-- queue       the track ids in play order (shuffled already when shuffle was asked), as a JSON
--             array of strings; the ids are the music library's, read back by hark-music
-- position    the current track's place in the queue, from 0
-- state       playing, paused or stopped
-- shuffle     1 when the queue was shuffled
-- volume      0 to 100, kept while muted so that unmute restores it
-- muted       1 when muted

CREATE TABLE players (
    household_id TEXT NOT NULL,
    device_id TEXT NOT NULL,
    queue TEXT NOT NULL,
    position BIGINT NOT NULL CHECK (position >= 0),
    state TEXT NOT NULL CHECK (state IN ('playing', 'paused', 'stopped')),
    shuffle BIGINT NOT NULL CHECK (shuffle IN (0, 1)),
    volume BIGINT NOT NULL CHECK (volume BETWEEN 0 AND 100),
    muted BIGINT NOT NULL CHECK (muted IN (0, 1)),
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (household_id, device_id),
    FOREIGN KEY (household_id, device_id) REFERENCES devices (household_id, id) ON DELETE CASCADE
);
