CREATE TABLE "projects" (
	"name" text PRIMARY KEY NOT NULL,
	"document" jsonb NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_tokens" ADD COLUMN "project" text;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD COLUMN "role" text;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "via" text;--> statement-breakpoint
ALTER TABLE "companions" ADD COLUMN "project" text DEFAULT 'default' NOT NULL;--> statement-breakpoint
ALTER TABLE "definitions" ADD COLUMN "project" text DEFAULT 'default' NOT NULL;--> statement-breakpoint
ALTER TABLE "pipeline_runs" ADD COLUMN "project" text DEFAULT 'default' NOT NULL;--> statement-breakpoint
ALTER TABLE "task_runs" ADD COLUMN "project" text DEFAULT 'default' NOT NULL;--> statement-breakpoint
CREATE INDEX "audit_log_actor_idx" ON "audit_log" USING btree ("actor","created_at");--> statement-breakpoint
CREATE INDEX "pipeline_runs_project_idx" ON "pipeline_runs" USING btree ("project","created_at");--> statement-breakpoint
CREATE INDEX "applications_project_idx" ON "applications" USING btree ("project","name");--> statement-breakpoint
INSERT INTO "projects" ("name", "document", "created_by") VALUES ('default', '{"apiVersion":"argoproj.io/v1alpha1","kind":"AppProject","metadata":{"name":"default"},"spec":{"sourceRepos":["*"],"destinations":[{"server":"*","name":"*","namespace":"*"}],"clusterResourceWhitelist":[{"group":"*","kind":"*"}]}}'::jsonb, 'system') ON CONFLICT DO NOTHING;
