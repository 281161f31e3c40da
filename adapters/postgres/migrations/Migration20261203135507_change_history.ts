import { Migration } from '@mikro-orm/migrations';

export class Migration20261203135507_change_history extends Migration {

  override name = 'Migration20261203135507_change_history';

  override up(): void | Promise<void> {
    this.addSql(`create table "change_history" ("seq" bigserial primary key, "history_kind" text not null, "history_uuid" uuid not null, "enterprise_customer_uuid" uuid not null, "record_kind" text not null, "record_uuid" uuid not null, "action" text not null, "actor" text not null, "changed_at" timestamptz not null, "snapshot_before" jsonb null, "snapshot_after" jsonb null);`);
    this.addSql(`create index "change_history_history_kind_history_uuid_seq_index" on "change_history" ("history_kind", "history_uuid", "seq");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "change_history" cascade;`);
  }

}
