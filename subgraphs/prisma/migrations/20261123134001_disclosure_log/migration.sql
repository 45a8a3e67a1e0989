-- CreateTable
CREATE TABLE "disclosure_log" (
    "sequence" SERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "municipality" CHAR(4) NOT NULL,
    "unit" TEXT,
    "subject" TEXT NOT NULL,
    "roles" TEXT[],
    "operation" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "assignments" TEXT[],
    "fields" TEXT[],
    "basis" TEXT NOT NULL,
    "trace_id" TEXT NOT NULL,
    "previous_hash" CHAR(64) NOT NULL,
    "hash" CHAR(64) NOT NULL,

    CONSTRAINT "disclosure_log_pkey" PRIMARY KEY ("sequence")
);

-- CreateIndex
CREATE UNIQUE INDEX "disclosure_log_hash_key" ON "disclosure_log"("hash");

-- Append-only: the application may add entries, never change or remove them.
CREATE FUNCTION "disclosure_log_append_only"() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'disclosure_log is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "disclosure_log_no_update" BEFORE UPDATE OR DELETE ON "disclosure_log"
  FOR EACH ROW EXECUTE FUNCTION "disclosure_log_append_only"();

CREATE TRIGGER "disclosure_log_no_truncate" BEFORE TRUNCATE ON "disclosure_log"
  FOR EACH STATEMENT EXECUTE FUNCTION "disclosure_log_append_only"();
