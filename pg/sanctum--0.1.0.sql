-- sanctum 0.1.0: screening functions on a compiled sanctum index file.
-- The file is named by the setting sanctum.index_path.
\echo Use "CREATE EXTENSION sanctum" to load this file. \quit

CREATE FUNCTION sanctum_screen(name text, type text DEFAULT 'any', min_score real DEFAULT NULL,
                               max_hits int DEFAULT 10)
RETURNS TABLE (entity text, list text, score real, matched_name text, explanation jsonb)
AS 'MODULE_PATHNAME', 'sanctum_pg_screen'
LANGUAGE C STABLE PARALLEL SAFE CALLED ON NULL INPUT ROWS 1;

COMMENT ON FUNCTION sanctum_screen(text, text, real, int) IS
'Hits for one name, best first: listed entity, list, score in [0,1], the listed name that matched and how it aligned. A NULL or empty name gives no rows.';

CREATE FUNCTION sanctum_score(name text, entity text)
RETURNS real
AS 'MODULE_PATHNAME', 'sanctum_pg_score'
LANGUAGE C STABLE PARALLEL SAFE STRICT;

COMMENT ON FUNCTION sanctum_score(text, text) IS
'Score of a name against one listed entity (its best name), ignoring the threshold; NULL for an unknown entity.';

CREATE FUNCTION sanctum_wallet(address text)
RETURNS SETOF text
AS 'MODULE_PATHNAME', 'sanctum_pg_wallet'
LANGUAGE C STABLE PARALLEL SAFE STRICT ROWS 1;

COMMENT ON FUNCTION sanctum_wallet(text) IS
'The listed entities a digital-currency address belongs to.';

CREATE FUNCTION sanctum_lists()
RETURNS TABLE (list text, title text, published text, sha256 text, entities bigint, index_path text)
AS 'MODULE_PATHNAME', 'sanctum_pg_lists'
LANGUAGE C STABLE PARALLEL SAFE;

COMMENT ON FUNCTION sanctum_lists() IS
'The lists (and their versions) in the index file in use.';
