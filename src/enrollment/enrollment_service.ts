/**
 * Enrollment use cases: one learner in one course run (the in-process "create an enrollment"
 * function of seed 000: no request object, no embargo or API-key checks, no mode changes, no
 * email opt-in), bulk enrollment checked against the customer's catalogs, and learner registration.
 */
import { type ContentMetadata, courseKeyOfRunKey } from "../content/content_metadata.ts";
import { courseRunLookupKeys } from "../content/containment.ts";
import { type FieldError, isCoreError, NotFoundError, ValidationError } from "../errors.ts";
import type { CatalogStore } from "../ports/catalog_store.ts";
import type { Clock } from "../ports/clock.ts";
import type { Containment, ContentReader } from "../ports/content_reader.ts";
import type { ContentStore } from "../ports/content_store.ts";
import type { EnrollmentLedger, LearnerRegistration, PendingConversion, Recorded } from "../ports/enrollment_ledger.ts";
import type { IdGenerator } from "../ports/id_generator.ts";
import { requireText, requireUuid } from "../validation.ts";
import { type BulkEnrollmentItem, type CheckedItem, checkBulkItems, MAX_KEY_LENGTH } from "./bulk_request.ts";
import { type CourseRun, findCourseRun, isEnrollmentOpen, preferredMode } from "./course_run.ts";
import {
  type Enrollment,
  isEmailAddress,
  isUserId,
  type Learner,
  type LearnerRef,
  normalizeEmail,
  type PendingEnrollment,
} from "./enrollment.ts";
import {
  EnrolledInOtherModeError,
  EnrollmentClosedError,
  ModeUnavailableError,
  UnknownCourseRunError,
  UnknownLearnerError,
} from "./enrollment_errors.ts";

/** What enrollment needs from the outside. */
export interface EnrollmentServiceDeps {
  readonly ledger: EnrollmentLedger;
  readonly catalogs: CatalogStore;
  readonly content: ContentStore;
  /** Answers the catalog check, with the read API's own containment question. */
  readonly reader: ContentReader;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** Records per ledger write in bulk enrollment (default 1000). */
  readonly batchSize?: number;
}

/** One enrollment to make. */
export interface EnrollLearnerInput {
  readonly learner: LearnerRef;
  readonly courseRunKey: string;
  readonly mode: string;
  readonly enterpriseCustomerUuid: string;
  /** The subscription license paying for it; at most one of this and `transactionId`. */
  readonly licenseUuid?: string;
  /** The learner-credit transaction paying for it. */
  readonly transactionId?: string;
  /** Enroll even when the run's enrollment window is closed. */
  readonly force?: boolean;
}

/** The enrollment, and whether this call created it (false: the learner already was enrolled in that mode). */
export interface EnrollLearnerResult {
  readonly enrollment: Enrollment;
  readonly created: boolean;
}

/** How to run a bulk enrollment. */
export interface BulkEnrollmentOptions {
  /** Stored on pending enrollments (the legacy `discount`, 0 to 100; default 100). */
  readonly discountPercentage?: number;
}

/** An item that ended in an enrollment. */
export interface BulkEnrollmentSuccess {
  readonly userId: number;
  readonly email: string;
  readonly courseRunKey: string;
  /** True only when this request created the enrollment. */
  readonly created: boolean;
  readonly mode: string;
  /** The enrollment's uuid (the legacy `enterprise_fulfillment_source_uuid`). */
  readonly enrollmentUuid: string;
}

/** An item for an email no learner has yet: a pending enrollment. */
export interface BulkPendingEnrollment {
  readonly email: string;
  readonly courseRunKey: string;
  /** True only when this request created the pending enrollment. */
  readonly created: boolean;
}

/** Why an item was not enrolled. */
export type BulkFailureReason =
  | "not_in_catalog"
  | "unknown_course_run"
  | "enrollment_closed"
  | "mode_unavailable"
  | "enrolled_in_other_mode"
  | "learner_mismatch"
  | "unknown_learner"
  | "write_failed";

/** An item that was not enrolled. */
export interface BulkEnrollmentFailure {
  readonly userId: number | null;
  readonly email: string | null;
  readonly courseRunKey: string;
  readonly reason: BulkFailureReason;
}

/** The outcome of a bulk request; each list keeps the request's order. */
export interface BulkEnrollmentResult {
  readonly successes: readonly BulkEnrollmentSuccess[];
  readonly pending: readonly BulkPendingEnrollment[];
  readonly failures: readonly BulkEnrollmentFailure[];
  /** Emails (as sent) that are not addresses; their items were skipped. */
  readonly invalidEmailAddresses: readonly string[];
  /** User ids no learner has; their items were skipped. */
  readonly invalidUserIds: readonly number[];
}

/** What registering learners changed, and the enrollments made from their pending enrollments. */
export interface LearnerRegistrationResult extends LearnerRegistration {
  /** Enrollments this call created from pending enrollments of the learners' emails, oldest pending first. */
  readonly enrollmentsFromPending: readonly Enrollment[];
}

/** Most learners one registration may carry. */
export const MAX_LEARNERS_PER_REQUEST = 10_000;

const DEFAULT_BATCH_SIZE = 1000;
/** After this many item writes in a row fail, the rest are reported failed without trying (the database is down). */
const CONSECUTIVE_FAILURES_TO_STOP = 5;

type Planned =
  | { readonly item: CheckedItem; readonly kind: "enroll"; readonly learner: Learner }
  | { readonly item: CheckedItem; readonly kind: "pending"; readonly email: string };

type Outcome =
  | { readonly bucket: "success"; readonly value: BulkEnrollmentSuccess }
  | { readonly bucket: "pending"; readonly value: BulkPendingEnrollment }
  | { readonly bucket: "failure"; readonly value: BulkEnrollmentFailure };

/** Enrolls learners in course runs; registers learners. */
export class EnrollmentService {
  #deps: EnrollmentServiceDeps;
  #batchSize: number;

  constructor(deps: EnrollmentServiceDeps) {
    this.#deps = deps;
    this.#batchSize = deps.batchSize ?? DEFAULT_BATCH_SIZE;
    if (!Number.isSafeInteger(this.#batchSize) || this.#batchSize < 1) throw new RangeError(`Batch size must be a positive integer: "${this.#batchSize}"`);
  }

  /**
   * Enrolls one learner in one course run in the given mode, idempotently. Throws
   * UnknownLearnerError, UnknownCourseRunError, EnrollmentClosedError, ModeUnavailableError, or
   * EnrolledInOtherModeError; an existing enrollment in that mode is returned with `created: false`.
   */
  async enrollLearner(input: EnrollLearnerInput): Promise<EnrollLearnerResult> {
    const customer = requireUuid(input.enterpriseCustomerUuid, "enterprise_customer_uuid");
    const courseRunKey = requireText(input.courseRunKey, "course_run_key", MAX_KEY_LENGTH);
    const mode = requireText(input.mode, "mode", 64);
    const licenseUuid = optionalText(input.licenseUuid, "license_uuid");
    const transactionId = optionalText(input.transactionId, "transaction_id");
    if (licenseUuid !== null && transactionId !== null) {
      throw new ValidationError("Give at most one of \"license_uuid\" and \"transaction_id\"", {
        fieldErrors: [{ field: "transaction_id", message: "conflicts with license_uuid" }],
      });
    }
    const learner = await this.#findLearner(input.learner);
    const run = (await this.#courseRuns([courseRunKey])).get(courseRunKey);
    if (run === undefined) throw new UnknownCourseRunError(`Cannot find course run "${courseRunKey}"`);
    const now = this.#deps.clock.now();
    if (input.force !== true && !isEnrollmentOpen(run, now)) {
      throw new EnrollmentClosedError(`Enrollment in course run "${courseRunKey}" is closed`);
    }
    if (!run.modes.includes(mode)) {
      throw new ModeUnavailableError(`Course run "${courseRunKey}" does not offer mode "${mode}": it offers ${quotedList(run.modes)}`);
    }
    const enrollment: Enrollment = {
      uuid: this.#deps.ids.uuid(), userId: learner.userId, courseRunKey, mode,
      enterpriseCustomerUuid: customer, licenseUuid, transactionId, created: now,
    };
    const [recorded] = await this.#deps.ledger.recordEnrollments([enrollment]);
    if (recorded === undefined) throw new TypeError("The ledger returned no record for the enrollment");
    if (!recorded.created && recorded.record.mode !== mode) {
      throw new EnrolledInOtherModeError(
        `Learner "${learner.userId}" is already enrolled in course run "${courseRunKey}" in mode "${recorded.record.mode}"`,
      );
    }
    return { enrollment: recorded.record, created: recorded.created };
  }

  /**
   * Enrolls many learners in course runs for one customer, best effort: validates the whole request
   * first (one bad item rejects all, nothing written), checks every distinct course run against the
   * customer's catalogs in one containment lookup, then records each item on its own. Throws
   * ValidationError for a bad request and NotFoundError for a customer with no catalogs.
   */
  async enrollLearnersInCourses(
    enterpriseCustomerUuid: string,
    items: readonly BulkEnrollmentItem[],
    options: BulkEnrollmentOptions = {},
  ): Promise<BulkEnrollmentResult> {
    const customer = requireUuid(enterpriseCustomerUuid, "enterprise_customer_uuid");
    const checked = checkBulkItems(items);
    const discount = checkDiscount(options.discountPercentage);
    const catalogs = await this.#deps.catalogs.listCustomerCatalogs(customer);
    if (catalogs.length === 0) throw new NotFoundError(`Cannot find enterprise customer "${customer}": it has no catalogs`);
    const now = this.#deps.clock.now();

    const outcomes = new Map<number, Outcome>();
    const fail = (item: CheckedItem, reason: BulkFailureReason, email = item.rawEmail) => {
      outcomes.set(item.index, { bucket: "failure", value: { userId: item.userId, email, courseRunKey: item.courseRunKey, reason } });
    };

    // Who: one lookup for every user id and email.
    const learners = await this.#deps.ledger.findLearners({
      userIds: unique(checked.flatMap((item) => (item.userId === null ? [] : [item.userId]))),
      emails: unique(checked.flatMap((item) => (item.userId === null && item.email !== null ? [item.email] : []))),
    });
    const byId = new Map(learners.map((learner) => [learner.userId, learner]));
    const byEmail = new Map(learners.map((learner) => [learner.email, learner]));
    const invalidUserIds: number[] = [];
    const invalidEmails: string[] = [];
    const planned: Planned[] = [];
    for (const item of checked) {
      if (item.userId !== null) {
        const learner = byId.get(item.userId);
        if (learner === undefined) invalidUserIds.push(item.userId);
        else if (item.email !== null && item.email !== learner.email) fail(item, "learner_mismatch");
        else planned.push({ item, kind: "enroll", learner });
        continue;
      }
      const email = item.email as string;
      if (!isEmailAddress(email)) {
        invalidEmails.push(item.rawEmail ?? email);
        continue;
      }
      const learner = byEmail.get(email);
      planned.push(learner === undefined ? { item, kind: "pending", email } : { item, kind: "enroll", learner });
    }

    // What: one containment question for every distinct run, under the rule every other path uses
    // (a run stored only inside its course is in a catalog holding that course), then one content
    // lookup. The course each run key names is asked too, only to tell a run the stored content
    // does not know in a course the customer's catalogs hold (unknown) from one outside them.
    const runKeys = unique(planned.map((entry) => entry.item.courseRunKey));
    const courseKeyOf = new Map(runKeys.map((key) => [key, courseKeyOfRunKey(key)]));
    const asked = unique([...runKeys, ...[...courseKeyOf.values()].filter((key) => key !== undefined)]);
    const containment: Containment = runKeys.length === 0
      ? { catalogUuids: [], matches: new Map() }
      : await this.#deps.reader.findContainment({ customerUuid: customer }, asked, "contains");
    const inCatalog = (key: string) => containment.matches.has(key);
    const courseHeld = (key: string) => containment.matches.has(courseKeyOf.get(key) ?? "");
    const runs = await this.#courseRuns(runKeys.filter((key) => inCatalog(key) || courseHeld(key)));

    const enrollments: { entry: Planned & { kind: "enroll" }; record: Enrollment }[] = [];
    const pendings: { entry: Planned & { kind: "pending" }; record: PendingEnrollment }[] = [];
    for (const entry of planned) {
      const { item } = entry;
      const email = entry.kind === "enroll" ? entry.learner.email : entry.email;
      const run = runs.get(item.courseRunKey);
      if (run === undefined && (inCatalog(item.courseRunKey) || courseHeld(item.courseRunKey))) fail(item, "unknown_course_run", email);
      else if (!inCatalog(item.courseRunKey)) fail(item, "not_in_catalog", email);
      else if (run === undefined) fail(item, "unknown_course_run", email);
      else if (!item.forceEnrollment && !isEnrollmentOpen(run, now)) fail(item, "enrollment_closed", email);
      else if (!run.modes.includes(preferredMode(run))) fail(item, "mode_unavailable", email);
      else if (entry.kind === "enroll") {
        enrollments.push({
          entry,
          record: {
            uuid: this.#deps.ids.uuid(), userId: entry.learner.userId, courseRunKey: item.courseRunKey, mode: preferredMode(run),
            enterpriseCustomerUuid: customer, licenseUuid: item.licenseUuid, transactionId: item.transactionId, created: now,
          },
        });
      } else {
        pendings.push({
          entry,
          record: {
            uuid: this.#deps.ids.uuid(), enterpriseCustomerUuid: customer, email: entry.email, courseRunKey: item.courseRunKey,
            mode: preferredMode(run), licenseUuid: item.licenseUuid, transactionId: item.transactionId,
            discountPercentage: discount, created: now,
          },
        });
      }
    }

    // Each item is one row; rows are written in batches, and a failed batch is retried row by row.
    const written = await this.#writeInBatches(enrollments.map((e) => e.record), (batch) => this.#deps.ledger.recordEnrollments(batch));
    enrollments.forEach(({ entry, record }, i) => {
      const recorded = written[i];
      const email = entry.learner.email;
      if (!(recorded && "record" in recorded)) {
        fail(entry.item, recorded instanceof UnknownLearnerError ? "unknown_learner" : "write_failed", email);
      } else if (!recorded.created && recorded.record.mode !== record.mode) {
        fail(entry.item, "enrolled_in_other_mode", email);
      } else {
        outcomes.set(entry.item.index, {
          bucket: "success",
          value: {
            userId: entry.learner.userId, email, courseRunKey: record.courseRunKey, created: recorded.created,
            mode: recorded.record.mode, enrollmentUuid: recorded.record.uuid,
          },
        });
      }
    });
    const writtenPending = await this.#writeInBatches(pendings.map((p) => p.record), (batch) => this.#deps.ledger.recordPendingEnrollments(batch));
    pendings.forEach(({ entry, record }, i) => {
      const recorded = writtenPending[i];
      if (!(recorded && "record" in recorded)) fail(entry.item, "write_failed", entry.email);
      else outcomes.set(entry.item.index, { bucket: "pending", value: { email: entry.email, courseRunKey: record.courseRunKey, created: recorded.created } });
    });

    const ordered = [...outcomes].sort(([a], [b]) => a - b).map(([, outcome]) => outcome);
    return {
      successes: ordered.flatMap((o) => (o.bucket === "success" ? [o.value] : [])),
      pending: ordered.flatMap((o) => (o.bucket === "pending" ? [o.value] : [])),
      failures: ordered.flatMap((o) => (o.bucket === "failure" ? [o.value] : [])),
      invalidEmailAddresses: unique(invalidEmails),
      invalidUserIds: unique(invalidUserIds),
    };
  }

  /**
   * Registers learners the LMS knows (user id and email), so that enrollment can find them: new
   * user ids are added, known ones get the email given. Then turns the pending enrollments of their
   * emails into enrollments, in the mode the pending enrollment recorded, when the run is still in
   * the stored content (open or not); the rest stay pending. Set-based; each step all or nothing,
   * and a replay finishes what a failed conversion left. Throws ValidationError for bad or repeated
   * ids and emails, ConflictError when an email belongs to another user id.
   */
  async registerLearners(learners: readonly { readonly userId: number; readonly email: string }[]): Promise<LearnerRegistrationResult> {
    if (learners.length === 0) {
      throw new ValidationError("Give at least one learner", { fieldErrors: [{ field: "learners", message: "may not be empty" }] });
    }
    if (learners.length > MAX_LEARNERS_PER_REQUEST) {
      throw new ValidationError(`A request may register at most ${MAX_LEARNERS_PER_REQUEST} learners, this one has ${learners.length}`, {
        fieldErrors: [{ field: "learners", message: `must have at most ${MAX_LEARNERS_PER_REQUEST} items` }],
      });
    }
    const errors: FieldError[] = [];
    const ids = new Set<number>();
    const emails = new Set<string>();
    const normalized = learners.map((learner, index) => {
      const email = normalizeEmail(learner.email);
      if (!isUserId(learner.userId)) errors.push({ field: `learners.${index}.user_id`, message: "must be a positive integer" });
      else if (ids.has(learner.userId)) errors.push({ field: `learners.${index}.user_id`, message: "appears twice in the request" });
      if (!isEmailAddress(email)) errors.push({ field: `learners.${index}.email`, message: "must be an email address" });
      else if (emails.has(email)) errors.push({ field: `learners.${index}.email`, message: "appears twice in the request" });
      ids.add(learner.userId);
      emails.add(email);
      return { userId: learner.userId, email };
    });
    if (errors.length > 0) {
      const first = errors[0] as FieldError;
      throw new ValidationError(`Invalid learners: "${first.field}" ${first.message}`, { fieldErrors: errors.slice(0, 50) });
    }
    const registration = await this.#deps.ledger.registerLearners(normalized, this.#deps.clock.now());
    const enrollmentsFromPending = await this.#convertPending(normalized);
    return { ...registration, enrollmentsFromPending };
  }

  /**
   * Enrolls learners in what is pending for their emails: one pending read, one content lookup and
   * one atomic ledger write. A pending enrollment whose run the stored content no longer has stays
   * pending (there is nothing to enroll in); one whose run closed or dropped the mode is converted
   * anyway, because the learner was promised the seat when the admin enrolled them.
   */
  async #convertPending(learners: readonly Learner[]): Promise<Enrollment[]> {
    const pending = await this.#deps.ledger.listPendingEnrollments({ emails: learners.map((learner) => learner.email) });
    if (pending.length === 0) return [];
    const userIdOf = new Map(learners.map((learner) => [learner.email, learner.userId]));
    const runs = await this.#courseRuns(unique(pending.map((p) => p.courseRunKey)));
    const now = this.#deps.clock.now();
    const conversions: PendingConversion[] = pending.flatMap((p) => {
      const userId = userIdOf.get(p.email);
      if (userId === undefined || !runs.has(p.courseRunKey)) return [];
      return [{
        pendingUuid: p.uuid,
        enrollment: {
          uuid: this.#deps.ids.uuid(), userId, courseRunKey: p.courseRunKey, mode: p.mode,
          enterpriseCustomerUuid: p.enterpriseCustomerUuid, licenseUuid: p.licenseUuid, transactionId: p.transactionId, created: now,
        },
      }];
    });
    if (conversions.length === 0) return [];
    const recorded = await this.#deps.ledger.convertPendingEnrollments(conversions);
    return recorded.flatMap((r) => (r.created ? [r.record] : []));
  }

  async #findLearner(ref: LearnerRef): Promise<Learner> {
    if ("userId" in ref) {
      if (!isUserId(ref.userId)) {
        throw new ValidationError(`Invalid user id: "${ref.userId}"`, { fieldErrors: [{ field: "user_id", message: "must be a positive integer" }] });
      }
      const [learner] = await this.#deps.ledger.findLearners({ userIds: [ref.userId] });
      if (learner === undefined) throw new UnknownLearnerError(`Cannot find learner with user id "${ref.userId}"`);
      return learner;
    }
    const email = normalizeEmail(ref.email);
    const [learner] = await this.#deps.ledger.findLearners({ emails: [email] });
    if (learner === undefined) throw new UnknownLearnerError(`Cannot find learner with email "${email.slice(0, 254)}"`);
    return learner;
  }

  /** The runs among these keys that the stored content knows, read in one lookup. */
  async #courseRuns(runKeys: readonly string[]): Promise<ReadonlyMap<string, CourseRun>> {
    if (runKeys.length === 0) return new Map();
    const stored = await this.#deps.content.getContent(unique(runKeys.flatMap(courseRunLookupKeys)));
    const byKey = new Map<string, ContentMetadata>(stored.map((item) => [item.contentKey, item]));
    const runs = new Map<string, CourseRun>();
    for (const key of runKeys) {
      const run = findCourseRun(key, (contentKey) => byKey.get(contentKey));
      if (run !== undefined) runs.set(key, run);
    }
    return runs;
  }

  /**
   * Writes records in batches. A batch that fails is retried record by record so that one bad
   * record cannot take its neighbours down; after several records in a row fail, the rest are not
   * tried. Returns, per record, what the ledger recorded or the error that stopped it.
   */
  async #writeInBatches<T>(records: readonly T[], write: (batch: readonly T[]) => Promise<readonly Recorded<T>[]>): Promise<(Recorded<T> | Error)[]> {
    const results: (Recorded<T> | Error)[] = [];
    let failuresInARow = 0;
    for (let start = 0; start < records.length; start += this.#batchSize) {
      const batch = records.slice(start, start + this.#batchSize);
      if (failuresInARow >= CONSECUTIVE_FAILURES_TO_STOP) {
        results.push(...batch.map(() => new Error("Not tried: the ledger kept failing")));
        continue;
      }
      try {
        const written = await write(batch);
        if (written.length !== batch.length) throw new TypeError(`The ledger returned ${written.length} records for ${batch.length}`);
        results.push(...written);
        failuresInARow = 0;
        continue;
      } catch {
        // Retried one by one below.
      }
      for (const record of batch) {
        if (failuresInARow >= CONSECUTIVE_FAILURES_TO_STOP) {
          results.push(new Error("Not tried: the ledger kept failing"));
          continue;
        }
        try {
          const [written] = await write([record]);
          if (written === undefined) throw new TypeError("The ledger returned no record");
          results.push(written);
          failuresInARow = 0;
        } catch (error) {
          results.push(error instanceof NotFoundError ? new UnknownLearnerError("Learner vanished", { cause: error }) : asError(error));
          if (!isCoreError(error)) failuresInARow++;
        }
      }
    }
    return results;
  }
}

function optionalText(value: string | undefined, field: string): string | null {
  return value === undefined ? null : requireText(value, field, MAX_KEY_LENGTH);
}

function checkDiscount(value: number | undefined): number {
  if (value === undefined) return 100;
  if (!Number.isFinite(value) || value < 0 || value > 100) {
    throw new ValidationError(`Invalid discount: "${value}"`, { fieldErrors: [{ field: "discount", message: "must be a number from 0 to 100" }] });
  }
  return value;
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

function quotedList(values: readonly string[]): string {
  return values.length === 0 ? "none" : values.map((value) => `"${value}"`).join(", ");
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
