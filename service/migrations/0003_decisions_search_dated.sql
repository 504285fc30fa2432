-- Search by date without reading a word's whole posting list: each lexeme of a decision, prefixed
-- with its project and its week ('3f2a9c1d.2950.kube'), for the GIN index of the next migration.
-- A search looks a word up in the weeks it is reading, so the index returns only that project's rows
-- of those weeks (service/README.md, "Search"). IMMUTABLE holds: the week comes from the instant's
-- epoch, which no time zone changes. Lexemes over 1,000 bytes are left out (the prefix must not push
-- a key past GIN's size limit); the search never looks those up here.
CREATE FUNCTION decisions_search_dated(project uuid, at timestamptz, doc tsvector)
  RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT array_to_tsvector(ARRAY(
      SELECT w.prefix || lexeme FROM unnest(tsvector_to_array(doc)) AS lexeme
       WHERE octet_length(lexeme) <= 1000))
      FROM (SELECT left(project::text, 8) || '.'
                   || CASE WHEN isfinite(at) THEN floor(extract(epoch FROM at) / 604800)::bigint::text ELSE 'x' END
                   || '.' AS prefix) w
  $$;
