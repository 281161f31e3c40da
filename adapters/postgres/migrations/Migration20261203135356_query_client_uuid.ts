import { Migration } from '@mikro-orm/migrations';

export class Migration20261203135356_query_client_uuid extends Migration {

  override name = 'Migration20261203135356_query_client_uuid';

  override up(): void | Promise<void> {
    this.addSql(`alter table "catalog_query" add "client_uuid" uuid null;`);
    this.addSql(`alter table "catalog_query" add constraint "catalog_query_client_uuid_unique" unique ("client_uuid");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "catalog_query" drop constraint "catalog_query_client_uuid_unique";`);
    this.addSql(`alter table "catalog_query" drop column "client_uuid";`);
  }

}
