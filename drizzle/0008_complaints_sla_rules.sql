-- The complaint ladder enforced by the clock: complaint records with references and categories,
-- SLA policies and per-conversation SLA clocks, rules (versioned) and their runs, the
-- customer's confirmation and CSAT, and in-app notifications for supervisors.

-- A job's claim is held until locked_until (the database's clock), apart from when it is due
-- (run_at, which a test's clock may move): a claimed job never looks due again to others.
ALTER TABLE "jobs" ADD COLUMN "locked_until" timestamp with time zone;--> statement-breakpoint
UPDATE "jobs" SET "locked_until" = "run_at" WHERE "lease_token" IS NOT NULL AND "run_at" > now();--> statement-breakpoint

CREATE TABLE "complaint_categories" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"key" text NOT NULL,
	"names" jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "complaint_categories_key_unique" UNIQUE("key")
);--> statement-breakpoint
INSERT INTO "complaint_categories" ("key", "names", "position") VALUES
 ('delivery', '{"en":"Delivery","fa":"ارسال و تحویل","ru":"Доставка"}', 1),
 ('billing', '{"en":"Billing and payment","fa":"پرداخت و صورت‌حساب","ru":"Оплата и счета"}', 2),
 ('product', '{"en":"Product quality","fa":"کیفیت کالا","ru":"Качество товара"}', 3),
 ('service', '{"en":"Service and staff","fa":"خدمات و کارکنان","ru":"Обслуживание и персонал"}', 4),
 ('refund', '{"en":"Refund and return","fa":"مرجوعی و بازپرداخت","ru":"Возврат"}', 5),
 ('technical', '{"en":"Technical problem","fa":"مشکل فنی","ru":"Техническая проблема"}', 6),
 ('legal', '{"en":"Legal or regulator","fa":"حقوقی و مراجع قانونی","ru":"Юридическое / надзор"}', 7),
 ('other', '{"en":"Other","fa":"سایر","ru":"Другое"}', 8);--> statement-breakpoint

-- References customers can quote: C-<two-digit year>-<sequence in that year>, e.g. C-26-0193.
CREATE TABLE "complaint_counters" (
	"year" integer PRIMARY KEY NOT NULL,
	"last" integer DEFAULT 0 NOT NULL
);--> statement-breakpoint
ALTER TABLE "complaints" ADD COLUMN "reference" text;--> statement-breakpoint
ALTER TABLE "complaints" ADD COLUMN "description" text;--> statement-breakpoint
ALTER TABLE "complaints" ADD COLUMN "csat_comment" text;--> statement-breakpoint
WITH numbered AS (
  SELECT id, extract(year FROM created_at)::int AS y,
         row_number() OVER (PARTITION BY extract(year FROM created_at) ORDER BY created_at, id) AS n
    FROM complaints
)
UPDATE complaints c SET reference = 'C-' || lpad((numbered.y % 100)::text, 2, '0') || '-' || lpad(numbered.n::text, 4, '0')
  FROM numbered WHERE numbered.id = c.id;--> statement-breakpoint
INSERT INTO complaint_counters (year, last)
SELECT extract(year FROM created_at)::int, count(*) FROM complaints GROUP BY 1;--> statement-breakpoint
CREATE FUNCTION next_complaint_reference(p_at timestamptz) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  y integer := extract(year FROM p_at)::integer;
  n integer;
BEGIN
  INSERT INTO complaint_counters (year, last) VALUES (y, 1)
  ON CONFLICT (year) DO UPDATE SET last = complaint_counters.last + 1
  RETURNING last INTO n;
  RETURN 'C-' || lpad((y % 100)::text, 2, '0') || '-' || lpad(n::text, 4, '0');
END;
$$;--> statement-breakpoint
ALTER TABLE "complaints" ALTER COLUMN "reference" SET DEFAULT next_complaint_reference(now());--> statement-breakpoint
ALTER TABLE "complaints" ALTER COLUMN "reference" SET NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "complaints_reference_key" ON "complaints" USING btree ("reference");--> statement-breakpoint
CREATE INDEX "complaints_level_status_idx" ON "complaints" USING btree ("level", "status");--> statement-breakpoint

ALTER TABLE "escalations" ADD COLUMN "actor_type" text DEFAULT 'user' NOT NULL;--> statement-breakpoint
UPDATE "escalations" SET "actor_type" = CASE WHEN "actor_id" IS NULL THEN 'rule' ELSE 'user' END;--> statement-breakpoint

ALTER TABLE "business_hours" ADD COLUMN "created_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint

-- SLA policies: which conversations (applies_to), targets (per level for complaints), warning.
ALTER TABLE "sla_policies" ALTER COLUMN "first_response_minutes" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "sla_policies" ALTER COLUMN "resolution_minutes" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD COLUMN "next_response_minutes" integer;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD COLUMN "business_hours_id" uuid;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD CONSTRAINT "sla_policies_business_hours_id_fk" FOREIGN KEY ("business_hours_id") REFERENCES "public"."business_hours"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD COLUMN "applies_to" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD COLUMN "level_targets" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD COLUMN "warning_percent" integer DEFAULT 80 NOT NULL;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD COLUMN "position" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD COLUMN "enabled" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD COLUMN "created_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
UPDATE "sla_policies" SET "applies_to" = jsonb_strip_nulls(jsonb_build_object(
  'tiers', CASE WHEN "tier" IS NULL THEN NULL ELSE jsonb_build_array("tier") END,
  'levels', CASE WHEN "level" IS NULL THEN NULL ELSE jsonb_build_array("level") END));--> statement-breakpoint
ALTER TABLE "sla_policies" DROP COLUMN "tier";--> statement-breakpoint
ALTER TABLE "sla_policies" DROP COLUMN "level";--> statement-breakpoint
ALTER TABLE "sla_policies" DROP COLUMN "business_hours_only";--> statement-breakpoint

-- One clock per conversation and target. Business seconds consumed so far, and since when it
-- runs (null while paused); due_at/warn_at are derived and indexed for the timers.
CREATE TABLE "sla_clocks" (
	"conversation_id" uuid NOT NULL,
	"target" text NOT NULL,
	"policy_id" uuid,
	"budget_seconds" integer NOT NULL,
	"consumed_seconds" integer DEFAULT 0 NOT NULL,
	"running_since" timestamp with time zone,
	"due_at" timestamp with time zone,
	"warn_at" timestamp with time zone,
	"warned_at" timestamp with time zone,
	"breached_at" timestamp with time zone,
	"met_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sla_clocks_pk" PRIMARY KEY ("conversation_id", "target"),
	CONSTRAINT "sla_clocks_target" CHECK ("target" IN ('firstResponse', 'nextResponse', 'resolution'))
);--> statement-breakpoint
ALTER TABLE "sla_clocks" ADD CONSTRAINT "sla_clocks_conversation_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_clocks" ADD CONSTRAINT "sla_clocks_policy_id_fk" FOREIGN KEY ("policy_id") REFERENCES "public"."sla_policies"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "next_response_due_at" timestamp with time zone;--> statement-breakpoint
-- The worst state of its running clocks, for the list: ok | warning | breached (null: no SLA).
ALTER TABLE "conversations" ADD COLUMN "sla_state" text;--> statement-breakpoint
-- The customer is asked whether it is solved; an answer until then counts.
ALTER TABLE "conversations" ADD COLUMN "confirmation_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "csat" integer;--> statement-breakpoint
-- A rule may pin a policy on a conversation ("apply SLA policy X"), over the matching one.
ALTER TABLE "conversations" ADD COLUMN "sla_policy_pinned" boolean DEFAULT false NOT NULL;--> statement-breakpoint

CREATE TABLE "rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"event" text NOT NULL,
	"conditions" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"actions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"options" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"built_in" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);--> statement-breakpoint
CREATE UNIQUE INDEX "rules_built_in_key" ON "rules" USING btree ("built_in") WHERE "built_in" IS NOT NULL;--> statement-breakpoint
CREATE TABLE "rule_versions" (
	"rule_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"definition" jsonb NOT NULL,
	"actor_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rule_versions_pk" PRIMARY KEY ("rule_id", "version")
);--> statement-breakpoint
ALTER TABLE "rule_versions" ADD CONSTRAINT "rule_versions_rule_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."rules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- When a rule acted on a conversation (cooldowns: "at most once a day").
CREATE TABLE "rule_runs" (
	"rule_id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"ran_at" timestamp with time zone NOT NULL
);--> statement-breakpoint
ALTER TABLE "rule_runs" ADD CONSTRAINT "rule_runs_rule_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."rules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rule_runs" ADD CONSTRAINT "rule_runs_conversation_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "rule_runs_idx" ON "rule_runs" USING btree ("rule_id", "conversation_id", "ran_at");--> statement-breakpoint

CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"body" text DEFAULT '' NOT NULL,
	"conversation_id" uuid,
	"read_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_conversation_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "notifications_user_idx" ON "notifications" USING btree ("user_id", "created_at");
