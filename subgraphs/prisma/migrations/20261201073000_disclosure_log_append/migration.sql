-- Appends a batch of disclosure log entries in one statement: lock, newest
-- hash and inserts run in the database, one round trip per batch instead of
-- five. Each entry's hash is sha256 of the JSON array the application's
-- chain (subgraphs/audit/chain.ts) hashes: the previous hash, then the
-- entry's own fields, which the caller passes ready-encoded as "tail".
-- A volatile PL/pgSQL function takes a new snapshot per statement, so the
-- newest hash read after the lock is the committed one.
CREATE FUNCTION "disclosure_log_append"("entries" JSONB)
RETURNS TABLE ("sequence" INTEGER, "previous_hash" CHAR(64), "hash" CHAR(64)) AS $$
DECLARE
  "entry" JSONB;
  "previous" CHAR(64);
  "next" CHAR(64);
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('disclosure-log'));
  SELECT d."hash" INTO "previous" FROM "disclosure_log" d ORDER BY d."sequence" DESC LIMIT 1;
  "previous" := coalesce("previous", repeat('0', 64));
  FOR "entry" IN SELECT e FROM jsonb_array_elements("entries") AS e LOOP
    "next" := encode(sha256(convert_to('["' || "previous" || '",' || ("entry"->>'tail'), 'UTF8')), 'hex');
    INSERT INTO "disclosure_log" (
      "at", "municipality", "unit", "subject", "roles", "operation", "kind",
      "assignments", "fields", "basis", "trace_id", "previous_hash", "hash"
    ) VALUES (
      ("entry"->>'at')::TIMESTAMPTZ,
      "entry"->>'municipality',
      "entry"->>'unit',
      "entry"->>'subject',
      ARRAY(SELECT jsonb_array_elements_text("entry"->'roles')),
      "entry"->>'operation',
      "entry"->>'kind',
      ARRAY(SELECT jsonb_array_elements_text("entry"->'assignments')),
      ARRAY(SELECT jsonb_array_elements_text("entry"->'fields')),
      "entry"->>'basis',
      "entry"->>'traceId',
      "previous",
      "next"
    ) RETURNING "disclosure_log"."sequence" INTO "sequence";
    "previous_hash" := "previous";
    "hash" := "next";
    RETURN NEXT;
    "previous" := "next";
  END LOOP;
END;
$$ LANGUAGE plpgsql VOLATILE;
