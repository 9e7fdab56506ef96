-- The music library: the audio files a household's library holds, with their tags, and its
-- playlists.
--
-- Same dialect rules as 0001. A track is one file; its id is random and kept while the file
-- stays at its path (a rescan that finds the file changed updates the row in place, so
-- playlists keep pointing at it). `size` and `mtime` (milliseconds since the epoch) are what
-- a rescan compares to decide whether to read the file again. `title` is never empty: the
-- scanner falls back to the file name.
--
-- music_libraries.version grows by one with every change to a household's tracks or
-- playlists, in the same transaction: a reader that caches an index of the library (the
-- server's search) compares one number to know whether its copy is still current, whichever
-- process or node made the change.

CREATE TABLE music_tracks (
    id TEXT PRIMARY KEY,
    household_id TEXT NOT NULL REFERENCES households (id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    size BIGINT NOT NULL,
    mtime BIGINT NOT NULL,
    format TEXT NOT NULL,
    title TEXT NOT NULL,
    artist TEXT,
    album TEXT,
    album_artist TEXT,
    genre TEXT,
    track_no BIGINT,
    disc_no BIGINT,
    duration_ms BIGINT,
    UNIQUE (household_id, path),
    -- A playlist entry names a track of its own household.
    UNIQUE (household_id, id)
);

CREATE TABLE music_playlists (
    id TEXT PRIMARY KEY,
    household_id TEXT NOT NULL REFERENCES households (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    -- Names compare without case: "Road Trip" and "road trip" are one playlist.
    name_key TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (household_id, name_key),
    UNIQUE (household_id, id)
);

-- A playlist's tracks, in `position` order (positions grow; gaps are allowed). Removing a
-- track (its file is gone) removes it from every playlist.
CREATE TABLE music_playlist_entries (
    household_id TEXT NOT NULL,
    playlist_id TEXT NOT NULL,
    position BIGINT NOT NULL,
    track_id TEXT NOT NULL,
    PRIMARY KEY (playlist_id, position),
    FOREIGN KEY (household_id, playlist_id) REFERENCES music_playlists (household_id, id)
        ON DELETE CASCADE,
    FOREIGN KEY (household_id, track_id) REFERENCES music_tracks (household_id, id)
        ON DELETE CASCADE
);

CREATE INDEX music_playlist_entries_track ON music_playlist_entries (household_id, track_id);

CREATE TABLE music_libraries (
    household_id TEXT PRIMARY KEY REFERENCES households (id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    changed_at BIGINT NOT NULL
);

-- Files the scanner could not read as audio (corrupt, or not a format hark plays), with the
-- size and time they had: a rescan does not read them again until they change.
CREATE TABLE music_skipped (
    household_id TEXT NOT NULL REFERENCES households (id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    size BIGINT NOT NULL,
    mtime BIGINT NOT NULL,
    PRIMARY KEY (household_id, path)
);
