-- The bot: botbuilder's conversation and user state (one JSON document per storage key, written
-- only when its eTag still matches), the bot's texts as admins changed them per language, and
-- the knowledge base the bot answers from.
CREATE TABLE "bot_state" (
	"key" text PRIMARY KEY NOT NULL,
	"doc" jsonb NOT NULL,
	"etag" bigint DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);--> statement-breakpoint
CREATE TABLE "bot_texts" (
	"language" text NOT NULL,
	"key" text NOT NULL,
	"text" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bot_texts_pk" PRIMARY KEY ("language", "key"),
	CONSTRAINT "bot_texts_language" CHECK ("language" IN ('en', 'fa', 'ru'))
);--> statement-breakpoint
CREATE TABLE "bot_kb_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"questions" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"answers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
