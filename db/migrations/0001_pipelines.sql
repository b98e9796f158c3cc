CREATE TABLE "companions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"data" jsonb NOT NULL,
	"created_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "definitions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"version" integer NOT NULL,
	"document" jsonb NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "log_chunks" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"task_run_id" uuid NOT NULL,
	"step" text NOT NULL,
	"lines" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pipeline_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"pipeline_name" text,
	"pipeline_version" integer,
	"spec" jsonb NOT NULL,
	"status" jsonb NOT NULL,
	"condition_status" text DEFAULT 'Unknown' NOT NULL,
	"condition_reason" text DEFAULT 'Started' NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	CONSTRAINT "pipeline_runs_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "task_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"pipeline_run_id" uuid,
	"pipeline_task" text,
	"matrix_index" integer,
	"plan" jsonb NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"attempt" integer DEFAULT 0 NOT NULL,
	"status" jsonb NOT NULL,
	"lease_owner" text,
	"lease_expires_at" timestamp with time zone,
	"cancel_requested" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	CONSTRAINT "task_runs_name_unique" UNIQUE("name")
);
--> statement-breakpoint
ALTER TABLE "log_chunks" ADD CONSTRAINT "log_chunks_task_run_id_task_runs_id_fk" FOREIGN KEY ("task_run_id") REFERENCES "public"."task_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_runs" ADD CONSTRAINT "task_runs_pipeline_run_id_pipeline_runs_id_fk" FOREIGN KEY ("pipeline_run_id") REFERENCES "public"."pipeline_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "companions_kind_name_idx" ON "companions" USING btree ("kind","name");--> statement-breakpoint
CREATE UNIQUE INDEX "definitions_kind_name_version_idx" ON "definitions" USING btree ("kind","name","version");--> statement-breakpoint
CREATE INDEX "log_chunks_task_run_idx" ON "log_chunks" USING btree ("task_run_id","id");--> statement-breakpoint
CREATE INDEX "pipeline_runs_pipeline_idx" ON "pipeline_runs" USING btree ("pipeline_name","created_at");--> statement-breakpoint
CREATE INDEX "pipeline_runs_created_idx" ON "pipeline_runs" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "task_runs_run_idx" ON "task_runs" USING btree ("pipeline_run_id");--> statement-breakpoint
CREATE INDEX "task_runs_lease_idx" ON "task_runs" USING btree ("state","lease_expires_at");