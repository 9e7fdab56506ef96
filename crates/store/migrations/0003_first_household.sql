-- Marks that the first household was created, so that several processes starting on an empty
-- database at once (several nodes, or two commands) create exactly one: the row with id 1 can
-- exist only once.
CREATE TABLE first_household (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    household_id TEXT NOT NULL REFERENCES households (id) ON DELETE CASCADE
);
