-- The access log (every read and change of a case record by the city's own
-- staff), the checkpoints a city signs of its logs and those it holds of the
-- other cities' logs, and the runtime role's rights. All three tables are
-- append-only, as the disclosure log is.

-- CreateTable
CREATE TABLE "case_access_log" (
    "sequence" SERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "unit" TEXT,
    "subject" TEXT NOT NULL,
    "roles" TEXT[],
    "operation" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "cases" TEXT[],
    "fields" TEXT[],
    "trace_id" TEXT NOT NULL,
    "previous_hash" CHAR(64) NOT NULL,
    "hash" CHAR(64) NOT NULL,

    CONSTRAINT "case_access_log_pkey" PRIMARY KEY ("sequence")
);

-- CreateTable
CREATE TABLE "log_checkpoint" (
    "log" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "hash" CHAR(64) NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "signature" TEXT NOT NULL,

    CONSTRAINT "log_checkpoint_pkey" PRIMARY KEY ("log","sequence")
);

-- CreateTable
CREATE TABLE "held_checkpoint" (
    "municipality" CHAR(4) NOT NULL,
    "log" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "hash" CHAR(64) NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "signature" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "held_checkpoint_pkey" PRIMARY KEY ("municipality","log","sequence")
);

-- CreateIndex
CREATE UNIQUE INDEX "case_access_log_hash_key" ON "case_access_log"("hash");

-- Append-only: rows may be added, never changed or removed.
CREATE FUNCTION "append_only"() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "case_access_log_no_update" BEFORE UPDATE OR DELETE ON "case_access_log"
  FOR EACH ROW EXECUTE FUNCTION "append_only"();
CREATE TRIGGER "case_access_log_no_truncate" BEFORE TRUNCATE ON "case_access_log"
  FOR EACH STATEMENT EXECUTE FUNCTION "append_only"();
CREATE TRIGGER "log_checkpoint_no_update" BEFORE UPDATE OR DELETE ON "log_checkpoint"
  FOR EACH ROW EXECUTE FUNCTION "append_only"();
CREATE TRIGGER "log_checkpoint_no_truncate" BEFORE TRUNCATE ON "log_checkpoint"
  FOR EACH STATEMENT EXECUTE FUNCTION "append_only"();
CREATE TRIGGER "held_checkpoint_no_update" BEFORE UPDATE OR DELETE ON "held_checkpoint"
  FOR EACH ROW EXECUTE FUNCTION "append_only"();
CREATE TRIGGER "held_checkpoint_no_truncate" BEFORE TRUNCATE ON "held_checkpoint"
  FOR EACH STATEMENT EXECUTE FUNCTION "append_only"();

-- Appends a batch of access log entries in one statement, as
-- disclosure_log_append does for the disclosure log: its own lock, the newest
-- hash read after it, each hash over the previous one and the entry's
-- fields, which the caller passes ready-encoded as "tail"
-- (subgraphs/audit/accessLog.ts).
CREATE FUNCTION "case_access_log_append"("entries" JSONB)
RETURNS TABLE ("sequence" INTEGER, "previous_hash" CHAR(64), "hash" CHAR(64)) AS $$
DECLARE
  "entry" JSONB;
  "previous" CHAR(64);
  "next" CHAR(64);
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('case-access-log'));
  SELECT a."hash" INTO "previous" FROM "case_access_log" a ORDER BY a."sequence" DESC LIMIT 1;
  "previous" := coalesce("previous", repeat('0', 64));
  FOR "entry" IN SELECT e FROM jsonb_array_elements("entries") AS e LOOP
    "next" := encode(sha256(convert_to('["' || "previous" || '",' || ("entry"->>'tail'), 'UTF8')), 'hex');
    INSERT INTO "case_access_log" (
      "at", "unit", "subject", "roles", "operation", "kind", "cases", "fields", "trace_id",
      "previous_hash", "hash"
    ) VALUES (
      ("entry"->>'at')::TIMESTAMPTZ,
      "entry"->>'unit',
      "entry"->>'subject',
      ARRAY(SELECT jsonb_array_elements_text("entry"->'roles')),
      "entry"->>'operation',
      "entry"->>'kind',
      ARRAY(SELECT jsonb_array_elements_text("entry"->'cases')),
      ARRAY(SELECT jsonb_array_elements_text("entry"->'fields')),
      "entry"->>'traceId',
      "previous",
      "next"
    ) RETURNING "case_access_log"."sequence" INTO "sequence";
    "previous_hash" := "previous";
    "hash" := "next";
    RETURN NEXT;
    "previous" := "next";
  END LOOP;
END;
$$ LANGUAGE plpgsql VOLATILE;

-- On PostgreSQL the migrations run as the role that owns the tables
-- (DATABASE_OWNER_URL), which calls this afterwards for the city's runtime
-- role (DATABASE_URL), so tables added by later migrations are covered. The
-- runtime role may read and add to the logs and call their append functions;
-- it may not change, remove or truncate their rows, disable their triggers
-- (only an owner may alter a table) or move their sequences (no UPDATE on a
-- sequence: setval is refused).
CREATE FUNCTION "grant_runtime_role"("runtime" TEXT) RETURNS VOID AS $$
DECLARE
  "log" TEXT;
BEGIN
  EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', "runtime");
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I', "runtime");
  EXECUTE format('REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM %I', "runtime");
  EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO %I', "runtime");
  EXECUTE format('REVOKE UPDATE ON ALL SEQUENCES IN SCHEMA public FROM %I', "runtime");
  FOREACH "log" IN ARRAY ARRAY['disclosure_log', 'case_access_log', 'log_checkpoint', 'held_checkpoint'] LOOP
    EXECUTE format('REVOKE UPDATE, DELETE ON %I FROM %I', "log", "runtime");
  END LOOP;
  EXECUTE format('REVOKE INSERT, UPDATE, DELETE ON "_prisma_migrations" FROM %I', "runtime");
  EXECUTE format('GRANT EXECUTE ON FUNCTION "disclosure_log_append"(JSONB) TO %I', "runtime");
  EXECUTE format('GRANT EXECUTE ON FUNCTION "case_access_log_append"(JSONB) TO %I', "runtime");
END;
$$ LANGUAGE plpgsql;

REVOKE EXECUTE ON FUNCTION "grant_runtime_role"(TEXT) FROM PUBLIC;
