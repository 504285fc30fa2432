-- migrate:no-transaction
-- The GIN index over decisions_search_dated (0003): a search's date windows read only their weeks.
CREATE INDEX CONCURRENTLY IF NOT EXISTS decisions_search_dated_idx
  ON decisions USING gin (decisions_search_dated(project_id, created_at, search));
