CREATE TABLE "app_refresh_leases" (
	"app_name" text PRIMARY KEY NOT NULL,
	"owner" text NOT NULL,
	"held" boolean DEFAULT true NOT NULL,
	"since" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "controller_members" (
	"id" text PRIMARY KEY NOT NULL,
	"host" text NOT NULL,
	"pid" integer NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"heartbeat_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_until" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "app_refresh_leases" ADD CONSTRAINT "app_refresh_leases_app_name_applications_name_fk" FOREIGN KEY ("app_name") REFERENCES "public"."applications"("name") ON DELETE cascade ON UPDATE no action;