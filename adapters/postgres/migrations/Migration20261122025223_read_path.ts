import { Migration } from '@mikro-orm/migrations';

export class Migration20261122025223_read_path extends Migration {

  override name = 'Migration20261122025223_read_path';

  override up(): void | Promise<void> {
    this.addSql(`alter table "content_metadata" add "listed" boolean not null default true;`);

    this.addSql(`alter table "query_content" add "listed" boolean not null default true, add "position" int null;`);
    this.addSql(`create index "query_content_query_uuid_position_index" on "query_content" ("query_uuid", "position");`);

    // Backfill for content stored before this migration (written by hand: the snapshot diff knows no data).
    // A course is listed when one of its runs is active, as isListedContent() in src/content decides.
    this.addSql(`update "content_metadata" set "listed" = false where "content_type" = 'course' and not jsonb_path_exists("json_metadata", '$.course_runs[*] ? (@.is_enrollable == true && ((@.status like_regex "^published$" flag "i" && @.is_marketable == true) || @.is_marketable_external == true))');`);
    this.addSql(`update "query_content" qc set "listed" = false from "content_metadata" cm where cm."content_key" = qc."content_key" and not cm."listed";`);
    this.addSql(`update "query_content" qc set "position" = r."position" from (select "query_uuid", "content_key", row_number() over (partition by "query_uuid" order by "content_key" collate "C") as "position" from "query_content" where "listed") r where qc."query_uuid" = r."query_uuid" and qc."content_key" = r."content_key";`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "content_metadata" drop column "listed";`);

    this.addSql(`drop index "query_content_query_uuid_position_index";`);
    this.addSql(`alter table "query_content" drop column "listed", drop column "position";`);
  }

}
