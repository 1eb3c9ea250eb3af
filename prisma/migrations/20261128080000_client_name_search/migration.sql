-- Fuzzy (trigram) client search compares the query with the client's name only; phones and emails
-- match as substrings (LIKE on omega_client_search_text, as before). Word similarity over the whole
-- name + phones + emails text cost three times as much per candidate (the text is ~47 characters
-- against ~15 for a name), and a common last name has 1,000+ candidates in a large business: the
-- searchConversations benchmark's "Rosa Mitchell" spent 30 ms in those comparisons.
CREATE OR REPLACE FUNCTION "omega_client_name_text"(first_name TEXT, last_name TEXT)
RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT lower(coalesce(first_name, '') || ' ' || coalesce(last_name, ''))
$$;

CREATE INDEX "clients_name_trgm_idx" ON "clients" USING GIN (
  "omega_client_name_text"("first_name", "last_name") gin_trgm_ops
);
