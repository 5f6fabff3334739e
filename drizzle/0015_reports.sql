-- 0015 (reports): complaints by creation time and contacts by tier indexed for the summary
-- report, whose message volume is served by a rollup of public messages per inbox and 15-minute
-- slot (every time zone in use is a whole number of quarter hours from UTC, so a slot lies in
-- one local hour anywhere).
-- Exact under concurrent ingest, and cheap for it: triggers on `messages` only append each
-- statement's signed counts to `message_volume_delta` (no index, no row anyone else writes, so
-- no upsert and no lock queue on the ingest path); insert and delete per statement, a row
-- trigger for a message whose time, inbox, direction or privacy changes. The server folds the
-- deltas into `message_volume` (DELETE … RETURNING into an upsert, one transaction: a delta is
-- counted in one table or the other, never both) every minute and before each report; a report
-- reads both (joined to inboxes: neither table refers to one, so folding never fails on an
-- inbox deleted meanwhile). Creating the triggers locks out writers until this migration commits, so the
-- backfill below sees every message and every later one is counted by the triggers.
CREATE INDEX IF NOT EXISTS "complaints_created_idx" ON "complaints" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "contacts_tier_idx" ON "contacts" USING btree ("tier") WHERE "merged_into_id" IS NULL AND "lifetime_value" IS NOT NULL;--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "message_volume" (
  "bucket" timestamp with time zone NOT NULL,
  "inbox_id" uuid NOT NULL,
  "messages_in" integer NOT NULL DEFAULT 0,
  "messages_out" integer NOT NULL DEFAULT 0,
  PRIMARY KEY ("bucket", "inbox_id")
);--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "message_volume_delta" (
  "bucket" timestamp with time zone NOT NULL,
  "inbox_id" uuid NOT NULL,
  "messages_in" integer NOT NULL,
  "messages_out" integer NOT NULL
);--> statement-breakpoint
CREATE OR REPLACE FUNCTION message_volume_slot(at timestamptz) RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT to_timestamp(floor(extract(epoch FROM at) / 900) * 900)
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION message_volume_statement() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO message_volume_delta (bucket, inbox_id, messages_in, messages_out)
    SELECT message_volume_slot(n.created_at), n.inbox_id,
           count(*) FILTER (WHERE n.direction = 'in'), count(*) FILTER (WHERE n.direction = 'out')
      FROM message_volume_new n WHERE NOT n.private
     GROUP BY 1, 2;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO message_volume_delta (bucket, inbox_id, messages_in, messages_out)
    SELECT message_volume_slot(o.created_at), o.inbox_id,
           -count(*) FILTER (WHERE o.direction = 'in'), -count(*) FILTER (WHERE o.direction = 'out')
      FROM message_volume_old o WHERE NOT o.private
     GROUP BY 1, 2;
  ELSE
    DELETE FROM message_volume_delta;
    DELETE FROM message_volume;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION message_volume_row() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT old.private THEN
    INSERT INTO message_volume_delta (bucket, inbox_id, messages_in, messages_out)
    VALUES (message_volume_slot(old.created_at), old.inbox_id,
            -(old.direction = 'in')::int, -(old.direction = 'out')::int);
  END IF;
  IF NOT new.private THEN
    INSERT INTO message_volume_delta (bucket, inbox_id, messages_in, messages_out)
    VALUES (message_volume_slot(new.created_at), new.inbox_id,
            (new.direction = 'in')::int, (new.direction = 'out')::int);
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
DROP TRIGGER IF EXISTS "messages_volume_insert" ON "messages";--> statement-breakpoint
CREATE TRIGGER "messages_volume_insert" AFTER INSERT ON "messages"
  REFERENCING NEW TABLE AS message_volume_new
  FOR EACH STATEMENT EXECUTE FUNCTION message_volume_statement();--> statement-breakpoint
DROP TRIGGER IF EXISTS "messages_volume_delete" ON "messages";--> statement-breakpoint
CREATE TRIGGER "messages_volume_delete" AFTER DELETE ON "messages"
  REFERENCING OLD TABLE AS message_volume_old
  FOR EACH STATEMENT EXECUTE FUNCTION message_volume_statement();--> statement-breakpoint
DROP TRIGGER IF EXISTS "messages_volume_truncate" ON "messages";--> statement-breakpoint
CREATE TRIGGER "messages_volume_truncate" AFTER TRUNCATE ON "messages"
  FOR EACH STATEMENT EXECUTE FUNCTION message_volume_statement();--> statement-breakpoint
DROP TRIGGER IF EXISTS "messages_volume_update" ON "messages";--> statement-breakpoint
CREATE TRIGGER "messages_volume_update" AFTER UPDATE OF "created_at", "inbox_id", "direction", "private" ON "messages"
  FOR EACH ROW
  WHEN (old.created_at IS DISTINCT FROM new.created_at OR old.inbox_id IS DISTINCT FROM new.inbox_id
        OR old.direction IS DISTINCT FROM new.direction OR old.private IS DISTINCT FROM new.private)
  EXECUTE FUNCTION message_volume_row();--> statement-breakpoint
DELETE FROM "message_volume_delta";--> statement-breakpoint
DELETE FROM "message_volume";--> statement-breakpoint
INSERT INTO "message_volume" ("bucket", "inbox_id", "messages_in", "messages_out")
SELECT message_volume_slot(m.created_at), m.inbox_id,
       count(*) FILTER (WHERE m.direction = 'in'), count(*) FILTER (WHERE m.direction = 'out')
  FROM "messages" m WHERE NOT m.private
 GROUP BY 1, 2;
