import { Migration } from '@mikro-orm/migrations';

export class Migration20261204195825_read_model_versions extends Migration {

  override name = 'Migration20261204195825_read_model_versions';

  override up(): void | Promise<void> {
    this.addSql(`create table "read_model_version" ("part" text not null, "version" bigint not null default '0', primary key ("part"));`);
    // The shared parts' rows exist from the start: their writers only ever update them.
    this.addSql(`insert into "read_model_version" ("part", "version") values ('catalogs', 0), ('content', 0);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "read_model_version" cascade;`);
  }

}
