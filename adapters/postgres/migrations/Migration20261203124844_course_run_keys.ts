import { Migration } from '@mikro-orm/migrations';

export class Migration20261203124844_course_run_keys extends Migration {

  override name = 'Migration20261203124844_course_run_keys';

  override up(): void | Promise<void> {
    this.addSql(`alter table "content_metadata" add "course_run_keys" text[] not null default '{}';`);
    // Rows stored before: the keys of the object entries of a course's `course_runs` (`listedRunKeys`).
    this.addSql(`update "content_metadata" set "course_run_keys" = array(
      select run ->> 'key' from jsonb_array_elements("json_metadata" -> 'course_runs') as runs(run)
       where jsonb_typeof(run -> 'key') = 'string')
     where "content_type" = 'course' and jsonb_typeof("json_metadata" -> 'course_runs') = 'array';`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "content_metadata" drop column "course_run_keys";`);
  }

}
