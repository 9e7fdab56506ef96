-- Placeholder on the weather branch only: version 6 is reserved for the music library's
-- migration (0006_music.sql), which replaces this file when the branches are merged.
SELECT 1;
