import { Migration } from '@mikro-orm/migrations';

export class Migration20261203133856_restricted_runs extends Migration {

  override name = 'Migration20261203133856_restricted_runs';

  override up(): void | Promise<void> {
    this.addSql(`create table "query_restricted_run" ("query_uuid" uuid not null, "run_key" varchar(255) not null, "course_key" varchar(255) not null, "json_metadata" jsonb not null, "fingerprint" char(32) not null, "search_fingerprint" char(32) not null, "enriched_at" timestamptz not null, "active" boolean not null, "modified" timestamptz not null, primary key ("query_uuid", "run_key"));`);
    this.addSql(`create index "query_restricted_run_run_key_query_uuid_index" on "query_restricted_run" ("run_key", "query_uuid");`);
    this.addSql(`create index "query_restricted_run_query_uuid_course_key_index" on "query_restricted_run" ("query_uuid", "course_key");`);

    this.addSql(`alter table "query_restricted_run" add constraint "query_restricted_run_query_uuid_foreign" foreign key ("query_uuid") references "catalog_query" ("uuid") on update no action on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "query_restricted_run" cascade;`);
  }

}
