-- Routing: per inbox, automatic assignment round robin among agents who are online and under
-- their capacity, or manual; an agent's presence across instances; a conversation goes back to
-- the queue when its agent has been offline longer than the inbox allows.
ALTER TABLE "users" ADD COLUMN "capacity" integer DEFAULT 10 NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_capacity" CHECK ("capacity" BETWEEN 0 AND 1000);--> statement-breakpoint
-- The agent's own switch: away agents get no new conversations.
ALTER TABLE "users" ADD COLUMN "available" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "last_assigned_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "offline_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "inboxes" ADD COLUMN "routing" text DEFAULT 'manual' NOT NULL;--> statement-breakpoint
ALTER TABLE "inboxes" ADD CONSTRAINT "inboxes_routing" CHECK ("routing" IN ('manual', 'round_robin'));--> statement-breakpoint
ALTER TABLE "inboxes" ADD COLUMN "offline_return_minutes" integer DEFAULT 15 NOT NULL;--> statement-breakpoint
-- One row per agent and instance holding sockets; a row not refreshed for a while is stale (the
-- instance died) and is swept.
CREATE TABLE "agent_presence" (
	"user_id" uuid NOT NULL,
	"instance" text NOT NULL,
	"sockets" integer DEFAULT 1 NOT NULL,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agent_presence_pk" PRIMARY KEY ("user_id", "instance")
);--> statement-breakpoint
ALTER TABLE "agent_presence" ADD CONSTRAINT "agent_presence_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- The queue of an inbox: open, unassigned conversations.
CREATE INDEX "conversations_queue_idx" ON "conversations" USING btree ("inbox_id", "created_at") WHERE "assignee_id" IS NULL AND "status" = 'open';
