import { Migration } from '@mikro-orm/migrations';

export class Migration20261201161236_covering_key_indexes extends Migration {

  override name = 'Migration20261201161236_covering_key_indexes';

  override up(): void | Promise<void> {
    // The wider indexes replace the narrow ones (same leading column), built before those go.
    this.addSql(`create index "query_content_content_key_query_uuid_index" on "query_content" ("content_key", "query_uuid");`);
    this.addSql(`create index "query_content_parent_content_key_query_uuid_index" on "query_content" ("parent_content_key", "query_uuid");`);
    this.addSql(`drop index "query_content_content_key_index";`);
    this.addSql(`drop index "query_content_parent_content_key_index";`);
  }

  override down(): void | Promise<void> {
    this.addSql(`create index "query_content_content_key_index" on "query_content" ("content_key");`);
    this.addSql(`create index "query_content_parent_content_key_index" on "query_content" ("parent_content_key");`);
    this.addSql(`drop index "query_content_content_key_query_uuid_index";`);
    this.addSql(`drop index "query_content_parent_content_key_query_uuid_index";`);
  }

}
