-- Placeholder on the weather branch only: version 7 is reserved for the players' migration,
-- which replaces this file when the branches are merged.
SELECT 1;
