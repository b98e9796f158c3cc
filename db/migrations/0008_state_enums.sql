-- States become enums built from the domain's lists (lib/domain/pipeline/*-states.ts, lib/domain/gitops/
-- sync-statuses.ts, health-statuses.ts, operation-phases.ts). Existing text values are cast with USING; the text
-- default is dropped first, as Postgres cannot cast it to the new type, and set again as the enum's.
CREATE TYPE "public"."condition_status" AS ENUM('Unknown', 'True', 'False');--> statement-breakpoint
CREATE TYPE "public"."task_run_state" AS ENUM('pending', 'running', 'succeeded', 'failed', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."health_status" AS ENUM('Healthy', 'Suspended', 'Progressing', 'Missing', 'Degraded', 'Unknown');--> statement-breakpoint
CREATE TYPE "public"."operation_phase" AS ENUM('Running', 'Terminating', 'Succeeded', 'Failed', 'Error');--> statement-breakpoint
CREATE TYPE "public"."sync_status" AS ENUM('Synced', 'OutOfSync', 'Unknown');--> statement-breakpoint
ALTER TABLE "pipeline_runs" ALTER COLUMN "condition_status" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "pipeline_runs" ALTER COLUMN "condition_status" SET DATA TYPE "public"."condition_status" USING "condition_status"::"public"."condition_status";--> statement-breakpoint
ALTER TABLE "pipeline_runs" ALTER COLUMN "condition_status" SET DEFAULT 'Unknown'::"public"."condition_status";--> statement-breakpoint
ALTER TABLE "task_runs" ALTER COLUMN "state" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "task_runs" ALTER COLUMN "state" SET DATA TYPE "public"."task_run_state" USING "state"::"public"."task_run_state";--> statement-breakpoint
ALTER TABLE "task_runs" ALTER COLUMN "state" SET DEFAULT 'pending'::"public"."task_run_state";--> statement-breakpoint
ALTER TABLE "app_operations" ALTER COLUMN "phase" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "app_operations" ALTER COLUMN "phase" SET DATA TYPE "public"."operation_phase" USING "phase"::"public"."operation_phase";--> statement-breakpoint
ALTER TABLE "app_operations" ALTER COLUMN "phase" SET DEFAULT 'Running'::"public"."operation_phase";--> statement-breakpoint
ALTER TABLE "applications" ALTER COLUMN "sync_status" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "applications" ALTER COLUMN "sync_status" SET DATA TYPE "public"."sync_status" USING "sync_status"::"public"."sync_status";--> statement-breakpoint
ALTER TABLE "applications" ALTER COLUMN "sync_status" SET DEFAULT 'Unknown'::"public"."sync_status";--> statement-breakpoint
ALTER TABLE "applications" ALTER COLUMN "health_status" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "applications" ALTER COLUMN "health_status" SET DATA TYPE "public"."health_status" USING "health_status"::"public"."health_status";--> statement-breakpoint
ALTER TABLE "applications" ALTER COLUMN "health_status" SET DEFAULT 'Unknown'::"public"."health_status";
