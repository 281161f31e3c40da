/** The enrollment ledger over Postgres: set-based SQL through MikroORM's connection. */
import type { Enrollment, Learner, PendingEnrollment } from "../../src/enrollment/enrollment.ts";
import { ConflictError, NotFoundError } from "../../src/errors.ts";
import type {
  EnrollmentFilter,
  EnrollmentLedger,
  LearnerLookup,
  LearnerRegistration,
  PendingConversion,
  PendingEnrollmentFilter,
  Recorded,
} from "../../src/ports/enrollment_ledger.ts";
import { isUuid } from "../../src/validation.ts";
import { type Em, jsonChunks, query, ROWS_PER_STATEMENT, sqlState, toDate, toInt, unitOf } from "./_internal.ts";

const UNIQUE_VIOLATION = "23505";
const FOREIGN_KEY_VIOLATION = "23503";
/** Ids and emails are short: this many go in one lookup. */
const KEYS_PER_STATEMENT = 10 * ROWS_PER_STATEMENT;

const ENROLLMENT_COLUMNS = "uuid, user_id, course_run_key, mode, enterprise_customer_uuid, license_uuid, transaction_id, created";
const PENDING_COLUMNS = "uuid, enterprise_customer_uuid, email, course_run_key, mode, license_uuid, transaction_id, discount_percentage, created";

/**
 * `EnrollmentLedger` over Postgres. Build it over `orm.em` or a per-request fork. Each write runs
 * in one transaction (or joins the caller's) and costs one statement per `ROWS_PER_STATEMENT`
 * records; `insert ... on conflict do nothing` makes concurrent writers of the same record agree
 * on one row.
 */
export class PostgresEnrollmentLedger implements EnrollmentLedger {
  #em: Em;

  constructor(em: Em) {
    this.#em = em;
  }

  async registerLearners(learners: readonly Learner[], now: Date): Promise<LearnerRegistration> {
    if (learners.length === 0) return { created: 0, updated: 0, unchanged: 0 };
    return await this.#inTransaction(async (em) => {
      let created = 0;
      let updated = 0;
      for await (const chunk of jsonChunks(learners.map((learner) => ({ user_id: learner.userId, email: learner.email })))) {
        let rows: { created: unknown; updated: unknown }[];
        try {
          rows = await query(
            em,
            `with input as (select * from jsonb_to_recordset(?::jsonb) as r(user_id bigint, email text)),
             upserted as (
               insert into learner as l (user_id, email, created, modified)
               select user_id, email, ?::timestamptz, ?::timestamptz from input
               on conflict (user_id) do update set email = excluded.email, modified = excluded.modified
                where l.email is distinct from excluded.email
               returning (xmax = 0) as inserted)
             select count(*) filter (where inserted) as created, count(*) filter (where not inserted) as updated from upserted`,
            [chunk, now.toISOString(), now.toISOString()],
          );
        } catch (error) {
          if (sqlState(error) === UNIQUE_VIOLATION) throw new ConflictError("An email would belong to two learners", { cause: error });
          throw error;
        }
        created += toInt(rows[0]?.created ?? 0);
        updated += toInt(rows[0]?.updated ?? 0);
      }
      return { created, updated, unchanged: learners.length - created - updated };
    });
  }

  async findLearners(lookup: LearnerLookup): Promise<readonly Learner[]> {
    const em = unitOf(this.#em);
    const found = new Map<number, Learner>();
    const ids = [...new Set(lookup.userIds ?? [])].filter(Number.isSafeInteger);
    const emails = [...new Set(lookup.emails ?? [])];
    for (let start = 0; start < Math.max(ids.length, emails.length); start += KEYS_PER_STATEMENT) {
      const rows = await query<{ user_id: unknown; email: string }>(
        em,
        `select user_id, email from learner
          where user_id in (select value::bigint from jsonb_array_elements_text(?::jsonb))
             or email in (select jsonb_array_elements_text(?::jsonb))`,
        [JSON.stringify(ids.slice(start, start + KEYS_PER_STATEMENT)), JSON.stringify(emails.slice(start, start + KEYS_PER_STATEMENT))],
      );
      for (const row of rows) found.set(toInt(row.user_id), { userId: toInt(row.user_id), email: row.email });
    }
    return [...found.values()].sort((a, b) => a.userId - b.userId);
  }

  async recordEnrollments(enrollments: readonly Enrollment[]): Promise<readonly Recorded<Enrollment>[]> {
    return await this.#recordEnrollments(enrollments.map((enrollment) => ({ enrollment, pendingUuid: null })));
  }

  async convertPendingEnrollments(conversions: readonly PendingConversion[]): Promise<readonly Recorded<Enrollment>[]> {
    return await this.#recordEnrollments(conversions);
  }

  /**
   * Records enrollments and deletes the pending rows named beside them, one statement per chunk:
   * the delete is a data-modifying CTE of the insert, so both land in the same transaction.
   */
  async #recordEnrollments(
    entries: readonly { readonly enrollment: Enrollment; readonly pendingUuid: string | null }[],
  ): Promise<readonly Recorded<Enrollment>[]> {
    if (entries.length === 0) return [];
    const inputs = entries.map(({ enrollment: e, pendingUuid }, ord) => ({
      ord, uuid: e.uuid, user_id: e.userId, course_run_key: e.courseRunKey, mode: e.mode,
      enterprise_customer_uuid: e.enterpriseCustomerUuid, license_uuid: e.licenseUuid, transaction_id: e.transactionId,
      created: e.created.toISOString(), pending_uuid: pendingUuid,
    }));
    const deletesPending = inputs.some((input) => input.pending_uuid !== null);
    return await this.#inTransaction(async (em) => {
      const results: (Recorded<Enrollment> | undefined)[] = Array.from(entries, () => undefined);
      for await (const chunk of jsonChunks(inputs)) {
        let rows: (EnrollmentSqlRow & { ord: number; created_now: boolean })[];
        try {
          rows = await query(
            em,
            `with input as (
               select * from jsonb_to_recordset(?::jsonb) as r(ord int, uuid uuid, user_id bigint, course_run_key text, mode text,
                 enterprise_customer_uuid uuid, license_uuid text, transaction_id text, created timestamptz, pending_uuid uuid)),${deletesPending
                 ? `
             deleted as (delete from pending_enrollment where uuid in (select pending_uuid from input where pending_uuid is not null)),`
                 : ""}
             firsts as (select distinct on (user_id, course_run_key) * from input order by user_id, course_run_key, ord),
             inserted as (
               insert into enrollment (${ENROLLMENT_COLUMNS})
               select ${ENROLLMENT_COLUMNS} from firsts
               on conflict (user_id, course_run_key) do nothing
               returning ${ENROLLMENT_COLUMNS}),
             known as (
               select ${ENROLLMENT_COLUMNS} from inserted
               union all
               select ${prefixed("e", ENROLLMENT_COLUMNS)} from enrollment e
                where (e.user_id, e.course_run_key) in (select user_id, course_run_key from input))
             select i.ord, k.uuid = i.uuid as created_now, ${prefixed("k", ENROLLMENT_COLUMNS)}
               from input i join known k on k.user_id = i.user_id and k.course_run_key = i.course_run_key`,
            [chunk],
          );
        } catch (error) {
          if (sqlState(error) === FOREIGN_KEY_VIOLATION) throw new NotFoundError("Cannot find a learner to enroll", { cause: error });
          throw error;
        }
        for (const row of rows) results[row.ord] = { record: enrollmentFromRow(row), created: row.created_now };
      }
      // A row another transaction committed after this statement began is invisible to it: read it now.
      const missing = inputs.filter((input) => results[input.ord] === undefined);
      if (missing.length > 0) {
        const rows = await query<EnrollmentSqlRow & { ord: number }>(
          em,
          `select i.ord, ${prefixed("e", ENROLLMENT_COLUMNS)}
             from jsonb_to_recordset(?::jsonb) as i(ord int, user_id bigint, course_run_key text)
             join enrollment e on e.user_id = i.user_id and e.course_run_key = i.course_run_key`,
          [JSON.stringify(missing.map(({ ord, user_id, course_run_key }) => ({ ord, user_id, course_run_key })))],
        );
        for (const row of rows) results[row.ord] = { record: enrollmentFromRow(row), created: false };
      }
      if (!results.every((result) => result !== undefined)) {
        throw new TypeError("Recording enrollments lost a record");
      }
      return results as Recorded<Enrollment>[];
    });
  }

  async recordPendingEnrollments(pending: readonly PendingEnrollment[]): Promise<readonly Recorded<PendingEnrollment>[]> {
    if (pending.length === 0) return [];
    const inputs = pending.map((p, ord) => ({
      ord, uuid: p.uuid, enterprise_customer_uuid: p.enterpriseCustomerUuid.toLowerCase(), email: p.email,
      course_run_key: p.courseRunKey, mode: p.mode, license_uuid: p.licenseUuid, transaction_id: p.transactionId,
      discount_percentage: p.discountPercentage, created: p.created.toISOString(),
    }));
    return await this.#inTransaction(async (em) => {
      const results: (Recorded<PendingEnrollment> | undefined)[] = Array.from(pending, () => undefined);
      for await (const chunk of jsonChunks(inputs)) {
        const rows = await query<PendingSqlRow & { ord: number; created_now: boolean }>(
          em,
          `with input as (
             select * from jsonb_to_recordset(?::jsonb) as r(ord int, uuid uuid, enterprise_customer_uuid uuid, email text,
               course_run_key text, mode text, license_uuid text, transaction_id text, discount_percentage numeric, created timestamptz)),
           firsts as (
             select distinct on (enterprise_customer_uuid, email, course_run_key) * from input
              order by enterprise_customer_uuid, email, course_run_key, ord),
           inserted as (
             insert into pending_enrollment (${PENDING_COLUMNS})
             select ${PENDING_COLUMNS} from firsts
             on conflict (enterprise_customer_uuid, email, course_run_key) do nothing
             returning ${PENDING_COLUMNS}),
           known as (
             select ${PENDING_COLUMNS} from inserted
             union all
             select ${prefixed("p", PENDING_COLUMNS)} from pending_enrollment p
              where (p.enterprise_customer_uuid, p.email, p.course_run_key) in
                    (select enterprise_customer_uuid, email, course_run_key from input))
           select i.ord, k.uuid = i.uuid as created_now, ${prefixed("k", PENDING_COLUMNS)}
             from input i join known k
               on k.enterprise_customer_uuid = i.enterprise_customer_uuid and k.email = i.email and k.course_run_key = i.course_run_key`,
          [chunk],
        );
        for (const row of rows) results[row.ord] = { record: pendingFromRow(row), created: row.created_now };
      }
      const missing = inputs.filter((input) => results[input.ord] === undefined);
      if (missing.length > 0) {
        const rows = await query<PendingSqlRow & { ord: number }>(
          em,
          `select i.ord, ${prefixed("p", PENDING_COLUMNS)}
             from jsonb_to_recordset(?::jsonb) as i(ord int, enterprise_customer_uuid uuid, email text, course_run_key text)
             join pending_enrollment p
               on p.enterprise_customer_uuid = i.enterprise_customer_uuid and p.email = i.email and p.course_run_key = i.course_run_key`,
          [JSON.stringify(missing.map(({ ord, enterprise_customer_uuid, email, course_run_key }) => ({ ord, enterprise_customer_uuid, email, course_run_key })))],
        );
        for (const row of rows) results[row.ord] = { record: pendingFromRow(row), created: false };
      }
      if (!results.every((result) => result !== undefined)) {
        throw new TypeError("Recording pending enrollments lost a record");
      }
      return results as Recorded<PendingEnrollment>[];
    });
  }

  async listEnrollments(filter: EnrollmentFilter): Promise<readonly Enrollment[]> {
    if (filter.enterpriseCustomerUuid !== undefined && !isUuid(filter.enterpriseCustomerUuid)) return [];
    const rows = await query<EnrollmentSqlRow>(
      unitOf(this.#em),
      `select ${ENROLLMENT_COLUMNS} from enrollment
        where (?::uuid is null or enterprise_customer_uuid = ?::uuid)
          and (?::jsonb is null or user_id in (select value::bigint from jsonb_array_elements_text(?::jsonb)))
        order by created, uuid`,
      [
        filter.enterpriseCustomerUuid ?? null, filter.enterpriseCustomerUuid ?? null,
        filter.userIds === undefined ? null : JSON.stringify(filter.userIds), filter.userIds === undefined ? null : JSON.stringify(filter.userIds),
      ],
    );
    return rows.map(enrollmentFromRow);
  }

  async listPendingEnrollments(filter: PendingEnrollmentFilter): Promise<readonly PendingEnrollment[]> {
    if (filter.enterpriseCustomerUuid !== undefined && !isUuid(filter.enterpriseCustomerUuid)) return [];
    const rows = await query<PendingSqlRow>(
      unitOf(this.#em),
      `select ${PENDING_COLUMNS} from pending_enrollment
        where (?::uuid is null or enterprise_customer_uuid = ?::uuid)
          and (?::jsonb is null or email in (select jsonb_array_elements_text(?::jsonb)))
        order by created, uuid`,
      [
        filter.enterpriseCustomerUuid ?? null, filter.enterpriseCustomerUuid ?? null,
        filter.emails === undefined ? null : JSON.stringify(filter.emails), filter.emails === undefined ? null : JSON.stringify(filter.emails),
      ],
    );
    return rows.map(pendingFromRow);
  }

  /** Runs `work` in the current transaction, or in a new one on a fresh fork. */
  async #inTransaction<T>(work: (em: Em) => Promise<T>): Promise<T> {
    if (this.#em.isInTransaction()) return await work(this.#em);
    return await this.#em.fork().transactional((em) => work(em));
  }
}

function prefixed(alias: string, columns: string): string {
  return columns.split(", ").map((column) => `${alias}.${column}`).join(", ");
}

interface EnrollmentSqlRow {
  uuid: string;
  user_id: unknown;
  course_run_key: string;
  mode: string;
  enterprise_customer_uuid: string;
  license_uuid: string | null;
  transaction_id: string | null;
  created: unknown;
}

/** Maps an enrollment row to the domain enrollment. */
function enrollmentFromRow(row: EnrollmentSqlRow): Enrollment {
  return {
    uuid: row.uuid,
    userId: toInt(row.user_id),
    courseRunKey: row.course_run_key,
    mode: row.mode,
    enterpriseCustomerUuid: row.enterprise_customer_uuid,
    licenseUuid: row.license_uuid,
    transactionId: row.transaction_id,
    created: toDate(row.created),
  };
}

interface PendingSqlRow {
  uuid: string;
  enterprise_customer_uuid: string;
  email: string;
  course_run_key: string;
  mode: string;
  license_uuid: string | null;
  transaction_id: string | null;
  discount_percentage: unknown;
  created: unknown;
}

/** Maps a pending-enrollment row to the domain pending enrollment. */
function pendingFromRow(row: PendingSqlRow): PendingEnrollment {
  return {
    uuid: row.uuid,
    enterpriseCustomerUuid: row.enterprise_customer_uuid,
    email: row.email,
    courseRunKey: row.course_run_key,
    mode: row.mode,
    licenseUuid: row.license_uuid,
    transactionId: row.transaction_id,
    discountPercentage: Number(row.discount_percentage),
    created: toDate(row.created),
  };
}
