-- Lists: the shopping list, the to-do list and any list a household names, with their items.
--
-- The shopping and to-do lists exist in every household without a row: the row is written the
-- first time an item goes on them. A list's name is stored normalized by hark (lower case,
-- "to do", "shopping"), so the unique constraint is what "one list per name" means.
--
-- An item's key is what items are compared by (lower case, singular and plural alike, computed
-- by hark): adding "eggs" where "egg" is finds that item, by the unique constraint, even when
-- two requests race. position keeps the order items were added in.

CREATE TABLE lists (
    id TEXT PRIMARY KEY,
    household_id TEXT NOT NULL REFERENCES households (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (household_id, id),
    UNIQUE (household_id, name)
);

CREATE TABLE list_items (
    id TEXT PRIMARY KEY,
    household_id TEXT NOT NULL,
    list_id TEXT NOT NULL,
    text TEXT NOT NULL,
    item_key TEXT NOT NULL,
    done BIGINT NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
    position BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    -- An item belongs to a list of its own household; removing the list removes its items.
    FOREIGN KEY (household_id, list_id) REFERENCES lists (household_id, id) ON DELETE CASCADE,
    UNIQUE (list_id, item_key)
);

CREATE INDEX list_items_list ON list_items (household_id, list_id, position);
