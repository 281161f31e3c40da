import { Migration } from '@mikro-orm/migrations';

export class Migration20261203114620_enrichment extends Migration {

  override name = 'Migration20261203114620_enrichment';

  override up(): void | Promise<void> {
    this.addSql(`alter table "content_metadata" add "search_fingerprint" char(32) null, add "enriched_at" timestamptz null;`);

    this.addSql(`alter table "query_content" add "search_fingerprint" char(32) null;`);

    this.addSql(`alter table "refresh_run" add "stage" text null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "content_metadata" drop column "search_fingerprint", drop column "enriched_at";`);

    this.addSql(`alter table "query_content" drop column "search_fingerprint";`);

    this.addSql(`alter table "refresh_run" drop column "stage";`);
  }

}
