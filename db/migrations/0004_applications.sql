CREATE TABLE "app_history" (
	"app_id" uuid NOT NULL,
	"id" integer NOT NULL,
	"revision" text NOT NULL,
	"source" jsonb NOT NULL,
	"deployed_at" timestamp with time zone NOT NULL,
	"deploy_started_at" timestamp with time zone,
	"initiated_by" jsonb NOT NULL,
	"commit" jsonb,
	"operation_id" uuid,
	CONSTRAINT "app_history_app_id_id_pk" PRIMARY KEY("app_id","id")
);
--> statement-breakpoint
CREATE TABLE "app_operations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"app_id" uuid NOT NULL,
	"phase" text DEFAULT 'Running' NOT NULL,
	"message" text DEFAULT '' NOT NULL,
	"operation" jsonb NOT NULL,
	"revision" text,
	"plan" jsonb,
	"progress" jsonb,
	"results" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"steps" jsonb,
	"retry_count" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"terminate_requested" boolean DEFAULT false NOT NULL,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "applications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"project" text DEFAULT 'default' NOT NULL,
	"spec" jsonb NOT NULL,
	"generation" integer DEFAULT 1 NOT NULL,
	"repo_url" text NOT NULL,
	"normalized_repo_url" text NOT NULL,
	"target_revision" text NOT NULL,
	"path" text NOT NULL,
	"cluster_name" text NOT NULL,
	"dest_namespace" text NOT NULL,
	"automated" boolean DEFAULT false NOT NULL,
	"sync_status" text DEFAULT 'Unknown' NOT NULL,
	"health_status" text DEFAULT 'Unknown' NOT NULL,
	"health_message" text,
	"revision" text,
	"commit" jsonb,
	"source_type" text,
	"resources" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"conditions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"diffs" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"tree" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"reconciled_at" timestamp with time zone,
	"reconciled_generation" integer,
	"last_synced_at" timestamp with time zone,
	"pinned" jsonb,
	"refresh_requested" text,
	"next_reconcile_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_auto_sync" jsonb,
	"deletion" jsonb,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "applications_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "git_webhook_secrets" (
	"provider" text PRIMARY KEY NOT NULL,
	"sealed_secret" text NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "app_history" ADD CONSTRAINT "app_history_app_id_applications_id_fk" FOREIGN KEY ("app_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "app_operations" ADD CONSTRAINT "app_operations_app_id_applications_id_fk" FOREIGN KEY ("app_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "app_operations_app_idx" ON "app_operations" USING btree ("app_id","started_at");--> statement-breakpoint
CREATE INDEX "app_operations_open_idx" ON "app_operations" USING btree ("finished_at");--> statement-breakpoint
CREATE INDEX "applications_repo_idx" ON "applications" USING btree ("normalized_repo_url");--> statement-breakpoint
CREATE INDEX "applications_health_idx" ON "applications" USING btree ("health_status","name");--> statement-breakpoint
CREATE INDEX "applications_sync_idx" ON "applications" USING btree ("sync_status","name");--> statement-breakpoint
CREATE INDEX "applications_cluster_idx" ON "applications" USING btree ("cluster_name","dest_namespace","name");--> statement-breakpoint
CREATE INDEX "applications_next_idx" ON "applications" USING btree ("next_reconcile_at");