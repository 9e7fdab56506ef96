-- Placeholder on the weather branch only: version 5 is reserved for the lists' migration
-- (0005_lists.sql), which replaces this file when the branches are merged.
SELECT 1;
