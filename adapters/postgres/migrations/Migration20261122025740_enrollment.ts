import { Migration } from '@mikro-orm/migrations';

export class Migration20261122025740_enrollment extends Migration {

  override name = 'Migration20261122025740_enrollment';

  override up(): void | Promise<void> {
    this.addSql(`create table "learner" ("user_id" bigint not null, "email" varchar(254) not null, "created" timestamptz not null, "modified" timestamptz not null, primary key ("user_id"));`);
    this.addSql(`alter table "learner" add constraint "learner_email_unique" unique ("email");`);

    this.addSql(`create table "enrollment" ("uuid" uuid not null, "user_id" bigint not null, "course_run_key" varchar(255) not null, "mode" varchar(64) not null, "enterprise_customer_uuid" uuid not null, "license_uuid" varchar(255) null, "transaction_id" varchar(255) null, "created" timestamptz not null, primary key ("uuid"));`);
    this.addSql(`create index "enrollment_enterprise_customer_uuid_created_uuid_index" on "enrollment" ("enterprise_customer_uuid", "created", "uuid");`);
    this.addSql(`alter table "enrollment" add constraint "enrollment_user_id_course_run_key_unique" unique ("user_id", "course_run_key");`);

    this.addSql(`create table "pending_enrollment" ("uuid" uuid not null, "enterprise_customer_uuid" uuid not null, "email" varchar(254) not null, "course_run_key" varchar(255) not null, "mode" varchar(64) not null, "license_uuid" varchar(255) null, "transaction_id" varchar(255) null, "discount_percentage" numeric(8,5) not null, "created" timestamptz not null, primary key ("uuid"));`);
    this.addSql(`create index "pending_enrollment_email_index" on "pending_enrollment" ("email");`);
    this.addSql(`create index "pending_enrollment_enterprise_customer_uuid_created_uuid_index" on "pending_enrollment" ("enterprise_customer_uuid", "created", "uuid");`);
    this.addSql(`alter table "pending_enrollment" add constraint "pending_enrollment_enterprise_customer_uuid_email_acbbe_unique" unique ("enterprise_customer_uuid", "email", "course_run_key");`);

    this.addSql(`alter table "enrollment" add constraint "enrollment_user_id_foreign" foreign key ("user_id") references "learner" ("user_id") on update no action on delete no action;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "enrollment" drop constraint "enrollment_user_id_foreign";`);

    this.addSql(`drop table if exists "learner" cascade;`);
    this.addSql(`drop table if exists "enrollment" cascade;`);
    this.addSql(`drop table if exists "pending_enrollment" cascade;`);
  }

}
