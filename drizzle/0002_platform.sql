-- The platform: inboxes as channel instances (encrypted credentials, routing key, state, health),
-- one jobs table for all durable work, leases for one-receiver-per-inbox, conversations that
-- remember the identity and channel reference they came from, attachments fetched by jobs,
-- complaints as the one source of the ladder level, and one ingest function for every channel.

ALTER TABLE "inboxes" ADD COLUMN "routing_key" text;--> statement-breakpoint
ALTER TABLE "inboxes" ADD COLUMN "credentials" text;--> statement-breakpoint
ALTER TABLE "inboxes" ADD COLUMN "channel_state" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "inboxes" ADD COLUMN "health" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "inboxes" ADD COLUMN "bot_enabled" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "inboxes" ADD COLUMN "source" text DEFAULT 'api' NOT NULL;--> statement-breakpoint
ALTER TABLE "inboxes" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "inboxes" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
UPDATE "inboxes" SET "bot_enabled" = coalesce(("settings"->>'botEnabled')::boolean, false),
  "settings" = "settings" - 'botEnabled';--> statement-breakpoint
CREATE UNIQUE INDEX "inboxes_routing_key" ON "inboxes" USING btree ("channel", "routing_key") WHERE "routing_key" IS NOT NULL;--> statement-breakpoint

ALTER TABLE "contact_identities" ADD COLUMN "state" text DEFAULT 'ok' NOT NULL;--> statement-breakpoint
ALTER TABLE "contact_identities" ADD COLUMN "state_reason" text;--> statement-breakpoint
ALTER TABLE "contact_identities" ADD COLUMN "state_changed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "contact_identities" ADD CONSTRAINT "contact_identities_state" CHECK ("state" IN ('ok', 'blocked', 'opted_out', 'undeliverable'));--> statement-breakpoint

ALTER TABLE "conversations" ADD COLUMN "contact_identity_id" uuid;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "channel_ref" jsonb;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_contact_identity_id_fk" FOREIGN KEY ("contact_identity_id") REFERENCES "public"."contact_identities"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
UPDATE "conversations" c SET "contact_identity_id" = (
  SELECT i."id" FROM "contact_identities" i
   WHERE i."contact_id" = c."contact_id"
     AND i."kind"::text = CASE c."channel"::text WHEN 'sms' THEN 'phone' WHEN 'voice' THEN 'phone' ELSE c."channel"::text END
   ORDER BY i."created_at" LIMIT 1);--> statement-breakpoint

ALTER TABLE "messages" ADD COLUMN "edited_at" timestamp with time zone;--> statement-breakpoint

ALTER TABLE "attachments" ADD COLUMN "media_ref" jsonb;--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "fetch_state" text DEFAULT 'stored' NOT NULL;--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "fetch_error" text;--> statement-breakpoint
UPDATE "attachments" SET "media_ref" = jsonb_build_object('url', "provider_url"), "fetch_state" = 'pending'
 WHERE "storage_path" IS NULL AND "provider_url" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "attachments" DROP COLUMN "provider_url";--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_fetch_state" CHECK ("fetch_state" IN ('stored', 'pending', 'failed', 'too_large'));--> statement-breakpoint

CREATE TABLE "jobs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"key" text,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"run_at" timestamp with time zone DEFAULT now() NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer DEFAULT 8 NOT NULL,
	"lease_token" bigint,
	"locked_by" text,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "jobs_state" CHECK ("state" IN ('pending', 'dead'))
);--> statement-breakpoint
CREATE INDEX "jobs_due_idx" ON "jobs" USING btree ("run_at") WHERE "state" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_kind_key" ON "jobs" USING btree ("kind", "key") WHERE "key" IS NOT NULL AND "state" = 'pending';--> statement-breakpoint
CREATE SEQUENCE "job_lease_seq";--> statement-breakpoint
INSERT INTO "jobs" ("kind", "key", "payload", "run_at", "attempts", "last_error")
SELECT 'delivery', "message_id"::text, jsonb_build_object('messageId', "message_id"), "next_attempt_at", "attempts", "last_error"
  FROM "deliveries" WHERE "state" = 'pending';--> statement-breakpoint
INSERT INTO "jobs" ("kind", "key", "payload")
SELECT 'media.fetch', "id"::text, jsonb_build_object('attachmentId', "id") FROM "attachments" WHERE "fetch_state" = 'pending';--> statement-breakpoint
INSERT INTO "jobs" ("kind", "key", "payload", "run_at")
SELECT 'snooze.wake', "id"::text, jsonb_build_object('conversationId', "id", 'until', "snoozed_until"), "snoozed_until"
  FROM "conversations" WHERE "status" = 'snoozed' AND "snoozed_until" IS NOT NULL;--> statement-breakpoint
DROP TABLE "deliveries";--> statement-breakpoint
DROP TYPE "public"."delivery_state";--> statement-breakpoint

CREATE TABLE "leases" (
	"name" text PRIMARY KEY NOT NULL,
	"holder" text NOT NULL,
	"token" bigint NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"acquired_at" timestamp with time zone DEFAULT now() NOT NULL
);--> statement-breakpoint

-- One complaint per conversation; the conversation's level is the complaint's, kept by a trigger.
INSERT INTO "complaints" ("conversation_id", "contact_id", "level", "status", "created_at")
SELECT c."id", c."contact_id", c."level", 'open', c."created_at" FROM "conversations" c
 WHERE c."level" >= 1 AND NOT EXISTS (SELECT 1 FROM "complaints" k WHERE k."conversation_id" = c."id");--> statement-breakpoint
DROP INDEX "complaints_conversation_idx";--> statement-breakpoint
CREATE UNIQUE INDEX "complaints_conversation_key" ON "complaints" USING btree ("conversation_id");--> statement-breakpoint
ALTER TABLE "escalations" ADD COLUMN "complaint_id" uuid;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_complaint_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
UPDATE "escalations" e SET "complaint_id" = (SELECT k."id" FROM "complaints" k WHERE k."conversation_id" = e."conversation_id");--> statement-breakpoint
CREATE FUNCTION complaints_sync_level() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE conversations SET level = NEW.level
   WHERE id = NEW.conversation_id AND level IS DISTINCT FROM NEW.level;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER complaints_sync_level AFTER INSERT OR UPDATE OF level ON complaints
  FOR EACH ROW EXECUTE FUNCTION complaints_sync_level();--> statement-breakpoint

DROP FUNCTION ingest_into_session(uuid, uuid, uuid, double precision, text, text, text, text, timestamptz);--> statement-breakpoint

-- Every inbound message of every channel, in one statement: the one place that knows how a
-- message finds its contact and conversation (see src/ingest/ingest.service.ts for the shape
-- of `p`). Outcomes: {"outcome":"duplicate","message_id"} when that provider id is stored
-- already (nothing written), or {"outcome":"stored", message, conversation, contact, ...}.
CREATE FUNCTION ingest_message(p jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  v_inbox uuid := (p->>'inbox')::uuid;
  v_at timestamptz := coalesce((p->>'at')::timestamptz, now());
  v_provider text := p->>'provider_id';
  v_kind identity_kind := (p->>'kind')::identity_kind;
  v_value text := p->>'value';
  v_thread text := p->>'thread_key';
  v_hours double precision := coalesce((p->>'reopen_hours')::double precision, 168);
  v_contact contacts;
  v_contact_id uuid;
  v_identity_id uuid;
  v_contact_created boolean := false;
  v_conv conversations;
  v_created boolean := false;
  v_msg messages;
  v_att attachments;
  v_a jsonb;
  v_files jsonb := '[]'::jsonb;
  v_existing uuid;
  v_event text;
  v_listener text;
BEGIN
  IF v_provider IS NOT NULL THEN
    SELECT id INTO v_existing FROM messages
     WHERE inbox_id = v_inbox AND direction = 'in' AND provider_message_id = v_provider;
    IF FOUND THEN
      RETURN jsonb_build_object('outcome', 'duplicate', 'message_id', v_existing);
    END IF;
  END IF;

  -- The contact behind the identity, locked: two first messages of one new customer wait for
  -- each other here instead of opening two conversations.
  LOOP
    SELECT i.id, i.contact_id INTO v_identity_id, v_contact_id FROM contact_identities i
     WHERE i.kind = v_kind AND i.value = v_value;
    IF FOUND THEN
      SELECT * INTO v_contact FROM contacts WHERE id = v_contact_id FOR UPDATE;
      EXIT;
    END IF;
    INSERT INTO contacts (name, search_text, language, last_seen_at, created_at, updated_at)
    VALUES (coalesce(p->>'name', v_value), coalesce(p->>'contact_search', ''), p->>'language',
            v_at, v_at, v_at)
    RETURNING * INTO v_contact;
    INSERT INTO contact_identities (contact_id, kind, value) VALUES (v_contact.id, v_kind, v_value)
    ON CONFLICT (kind, value) DO NOTHING RETURNING id INTO v_identity_id;
    IF v_identity_id IS NOT NULL THEN
      v_contact_created := true;
      EXIT;
    END IF;
    -- Another transaction created this identity meanwhile: use its contact, drop ours.
    DELETE FROM contacts WHERE id = v_contact.id;
  END LOOP;

  -- The conversation a live session already knows (web chat), when it may take the message.
  IF p ? 'hint_conversation' THEN
    SELECT * INTO v_conv FROM conversations
     WHERE id = (p->>'hint_conversation')::uuid AND contact_id = v_contact.id AND inbox_id = v_inbox
     FOR UPDATE;
  END IF;
  IF v_conv.id IS NULL THEN
    IF p->>'thread_scope' = 'thread' AND v_thread IS NOT NULL THEN
      SELECT * INTO v_conv FROM conversations WHERE inbox_id = v_inbox AND thread_key = v_thread
       ORDER BY created_at DESC LIMIT 1 FOR UPDATE;
    ELSE
      SELECT * INTO v_conv FROM conversations
       WHERE inbox_id = v_inbox AND contact_id = v_contact.id
         AND (v_thread IS NULL OR thread_key = v_thread)
       ORDER BY created_at DESC LIMIT 1 FOR UPDATE;
    END IF;
  END IF;
  -- A resolved conversation comes back within the inbox's reopen window; after it, a new one.
  IF v_conv.id IS NOT NULL AND v_conv.status = 'resolved' AND (v_conv.resolved_at IS NULL
      OR v_at - v_conv.resolved_at > make_interval(secs => v_hours * 3600)) THEN
    v_conv := NULL;
  END IF;
  IF v_conv.id IS NULL THEN
    INSERT INTO conversations (inbox_id, contact_id, contact_identity_id, channel, status,
                               thread_key, subject, channel_ref, created_at, updated_at)
    VALUES (v_inbox, v_contact.id, v_identity_id, (p->>'channel')::channel_kind,
            coalesce(p->>'start_status', 'open')::conversation_status, v_thread, p->>'subject',
            nullif(p->'channel_ref', 'null'::jsonb), v_at, v_at)
    RETURNING * INTO v_conv;
    v_created := true;
  END IF;

  INSERT INTO messages (conversation_id, inbox_id, direction, sender_type, sender_id, text, html,
                        search_text, private, status, provider_message_id, meta, created_at,
                        updated_at)
  VALUES (v_conv.id, v_inbox, 'in', 'contact', v_contact.id, coalesce(p->>'text', ''),
          p->>'html', coalesce(p->>'search_text', ''), false, 'received', v_provider,
          coalesce(p->'meta', '{}'::jsonb), v_at, v_at)
  ON CONFLICT DO NOTHING
  RETURNING * INTO v_msg;
  IF v_msg.id IS NULL THEN
    -- A concurrent delivery of the same message won the race.
    RETURN jsonb_build_object('outcome', 'duplicate');
  END IF;

  FOR v_a IN SELECT * FROM jsonb_array_elements(coalesce(p->'attachments', '[]'::jsonb)) LOOP
    INSERT INTO attachments (message_id, file_name, content_type, size, storage_path, media_ref,
                             fetch_state, created_at)
    VALUES (v_msg.id, v_a->>'file_name', v_a->>'content_type', coalesce((v_a->>'size')::int, 0),
            v_a->>'storage_path', nullif(v_a->'media_ref', 'null'::jsonb),
            coalesce(v_a->>'fetch_state', 'stored'), v_at)
    RETURNING * INTO v_att;
    v_files := v_files || jsonb_build_array(to_jsonb(v_att));
    IF v_att.fetch_state = 'pending' THEN
      INSERT INTO jobs (kind, key, payload, max_attempts)
      VALUES ('media.fetch', v_att.id::text, jsonb_build_object('attachmentId', v_att.id), 6);
    END IF;
  END LOOP;

  UPDATE conversations SET
    last_message_at = greatest(last_message_at, v_at),
    last_incoming_at = greatest(last_incoming_at, v_at),
    last_message_preview = CASE WHEN last_message_at IS NULL OR v_at >= last_message_at
                                THEN p->>'preview' ELSE last_message_preview END,
    unread_count = unread_count + 1,
    message_count = message_count + 1,
    waiting_since = coalesce(waiting_since, v_at),
    status = CASE WHEN status IN ('resolved', 'snoozed', 'pending') THEN 'open' ELSE status END,
    resolved_at = NULL,
    snoozed_until = NULL,
    contact_identity_id = coalesce(contact_identity_id, v_identity_id),
    updated_at = now()
  WHERE id = v_conv.id
  RETURNING * INTO v_conv;

  -- Durable events: one job per listener, written with the message (the outbox).
  FOR v_event, v_listener IN
    SELECT e.key, l.value FROM jsonb_each(coalesce(p->'listeners', '{}'::jsonb)) e,
           jsonb_array_elements_text(e.value) l
  LOOP
    IF v_event = 'message.received' OR (v_event = 'conversation.created' AND v_created) THEN
      INSERT INTO jobs (kind, payload) VALUES ('event', jsonb_build_object(
        'listener', v_listener, 'event', v_event,
        'data', jsonb_build_object('messageId', v_msg.id, 'conversationId', v_conv.id,
                                   'contactId', v_contact.id, 'inboxId', v_inbox)));
    END IF;
  END LOOP;

  RETURN jsonb_build_object(
    'outcome', 'stored',
    'message', to_jsonb(v_msg),
    'conversation', to_jsonb(v_conv),
    'contact', jsonb_build_object('id', v_contact.id, 'name', v_contact.name),
    'attachments', v_files,
    'first_message', v_conv.message_count = 1,
    'contact_created', v_contact_created,
    'assignee_name', (SELECT name FROM users WHERE id = v_conv.assignee_id),
    'team_name', (SELECT name FROM teams WHERE id = v_conv.team_id));
END;
$$;
