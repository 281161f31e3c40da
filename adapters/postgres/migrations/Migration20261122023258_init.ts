import { Migration } from '@mikro-orm/migrations';

export class Migration20261122023258_init extends Migration {

  override name = 'Migration20261122023258_init';

  override up(): void | Promise<void> {
    this.addSql(`create table "catalog_query" ("uuid" uuid not null, "title" text null, "content_filter" text not null, "content_filter_hash" char(32) not null, "created" timestamptz not null, "content_version" int not null default 0, "content_last_modified" timestamptz null, "last_refreshed_at" timestamptz null, "last_refresh_attempt_at" timestamptz null, "last_refresh_outcome" text null, "item_count" int not null default 0, primary key ("uuid"));`);
    this.addSql(`alter table "catalog_query" add constraint "catalog_query_content_filter_hash_unique" unique ("content_filter_hash");`);

    this.addSql(`create table "content_metadata" ("content_key" varchar(255) not null, "content_type" varchar(32) not null, "content_uuid" uuid null, "parent_content_key" varchar(255) null, "json_metadata" jsonb not null, "fingerprint" char(32) not null, "modified" timestamptz not null, primary key ("content_key"));`);
    this.addSql(`create index "content_metadata_content_uuid_index" on "content_metadata" ("content_uuid");`);
    this.addSql(`create index "content_metadata_parent_content_key_index" on "content_metadata" ("parent_content_key");`);

    this.addSql(`create table "enterprise_catalog" ("uuid" uuid not null, "title" text not null, "enterprise_customer_uuid" uuid not null, "enterprise_customer_name" text not null, "catalog_query_uuid" uuid not null, "enabled_course_modes" jsonb not null, "publish_audit_enrollment_urls" boolean not null, "created" timestamptz not null, "modified" timestamptz not null, primary key ("uuid"));`);
    this.addSql(`create index "enterprise_catalog_catalog_query_uuid_index" on "enterprise_catalog" ("catalog_query_uuid");`);
    this.addSql(`create index "enterprise_catalog_enterprise_customer_uuid_created_uuid_index" on "enterprise_catalog" ("enterprise_customer_uuid", "created", "uuid");`);
    this.addSql(`create index "enterprise_catalog_created_uuid_index" on "enterprise_catalog" ("created", "uuid");`);

    this.addSql(`create table "query_content" ("query_uuid" uuid not null, "content_key" varchar(255) not null, "parent_content_key" varchar(255) null, "content_type" varchar(32) not null, primary key ("query_uuid", "content_key"));`);
    this.addSql(`create index "query_content_query_uuid_parent_content_key_index" on "query_content" ("query_uuid", "parent_content_key");`);
    this.addSql(`create index "query_content_content_key_index" on "query_content" ("content_key");`);
    this.addSql(`create index "query_content_parent_content_key_index" on "query_content" ("parent_content_key");`);

    this.addSql(`create table "refresh_run" ("uuid" uuid not null, "query_uuid" uuid not null, "trigger" text not null, "started_at" timestamptz not null, "finished_at" timestamptz not null, "outcome" text not null, "added" int not null, "removed" int not null, "updated" int not null, "unchanged" int not null, "discovery_requests" int not null, "message" text null, primary key ("uuid"));`);
    this.addSql(`create index "refresh_run_query_uuid_started_at_index" on "refresh_run" ("query_uuid", "started_at" DESC);`);

    this.addSql(`alter table "enterprise_catalog" add constraint "enterprise_catalog_catalog_query_uuid_foreign" foreign key ("catalog_query_uuid") references "catalog_query" ("uuid") on update no action on delete no action;`);

    this.addSql(`alter table "query_content" add constraint "query_content_query_uuid_foreign" foreign key ("query_uuid") references "catalog_query" ("uuid") on update no action on delete cascade;`);
    this.addSql(`alter table "query_content" add constraint "query_content_content_key_foreign" foreign key ("content_key") references "content_metadata" ("content_key") on update no action on delete no action;`);

    this.addSql(`alter table "refresh_run" add constraint "refresh_run_query_uuid_foreign" foreign key ("query_uuid") references "catalog_query" ("uuid") on update no action on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "enterprise_catalog" drop constraint "enterprise_catalog_catalog_query_uuid_foreign";`);
    this.addSql(`alter table "query_content" drop constraint "query_content_query_uuid_foreign";`);
    this.addSql(`alter table "refresh_run" drop constraint "refresh_run_query_uuid_foreign";`);
    this.addSql(`alter table "query_content" drop constraint "query_content_content_key_foreign";`);

    this.addSql(`drop table if exists "catalog_query" cascade;`);
    this.addSql(`drop table if exists "content_metadata" cascade;`);
    this.addSql(`drop table if exists "enterprise_catalog" cascade;`);
    this.addSql(`drop table if exists "query_content" cascade;`);
    this.addSql(`drop table if exists "refresh_run" cascade;`);
  }

}
