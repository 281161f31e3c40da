import { Migration } from '@mikro-orm/migrations';

export class Migration20261203135552_curation extends Migration {

  override name = 'Migration20261203135552_curation';

  override up(): void | Promise<void> {
    this.addSql(`create table "enterprise_curation" ("uuid" uuid not null, "enterprise_customer_uuid" uuid not null, "title" text not null, "is_highlight_feature_active" boolean not null, "can_only_view_highlight_sets" boolean not null, "created" timestamptz not null, "modified" timestamptz not null, primary key ("uuid"));`);
    this.addSql(`alter table "enterprise_curation" add constraint "enterprise_curation_enterprise_customer_uuid_unique" unique ("enterprise_customer_uuid");`);
    this.addSql(`create index "enterprise_curation_created_uuid_index" on "enterprise_curation" ("created", "uuid");`);

    this.addSql(`create table "highlight_set" ("uuid" uuid not null, "curation_uuid" uuid not null, "enterprise_customer_uuid" uuid not null, "title" text not null, "is_published" boolean not null, "created" timestamptz not null, "modified" timestamptz not null, primary key ("uuid"));`);
    this.addSql(`create index "highlight_set_curation_uuid_index" on "highlight_set" ("curation_uuid");`);
    this.addSql(`create index "highlight_set_enterprise_customer_uuid_created_uuid_index" on "highlight_set" ("enterprise_customer_uuid", "created", "uuid");`);

    this.addSql(`create table "highlighted_content" ("uuid" uuid not null, "highlight_set_uuid" uuid not null, "content_key" text not null, "is_favorite" boolean not null, "position" int not null, "created" timestamptz not null, "modified" timestamptz not null, primary key ("uuid"));`);
    this.addSql(`alter table "highlighted_content" add constraint "highlighted_content_highlight_set_uuid_content_key_unique" unique ("highlight_set_uuid", "content_key");`);

    this.addSql(`alter table "highlight_set" add constraint "highlight_set_curation_uuid_foreign" foreign key ("curation_uuid") references "enterprise_curation" ("uuid") on update no action on delete cascade;`);

    this.addSql(`alter table "highlighted_content" add constraint "highlighted_content_highlight_set_uuid_foreign" foreign key ("highlight_set_uuid") references "highlight_set" ("uuid") on update no action on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "highlight_set" drop constraint "highlight_set_curation_uuid_foreign";`);
    this.addSql(`alter table "highlighted_content" drop constraint "highlighted_content_highlight_set_uuid_foreign";`);

    this.addSql(`drop table if exists "enterprise_curation" cascade;`);
    this.addSql(`drop table if exists "highlight_set" cascade;`);
    this.addSql(`drop table if exists "highlighted_content" cascade;`);
  }

}
