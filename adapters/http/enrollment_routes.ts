/** Handlers for bulk enrollment (both paths of edx-enterprise's `enroll_learners_in_courses`) and learner registration. */
import { type BulkEnrollmentItem, InvalidBulkRequestError } from "../../src/enrollment/bulk_request.ts";
import type { BulkEnrollmentResult } from "../../src/enrollment/enrollment_service.ts";
import { type BulkListName, bulkRequestProblem, LEGACY_TEXTS } from "./legacy_texts.ts";
import type { OperationHandler, OperationHandlers, Schemas, ValidatedRequest } from "./operation_types.ts";
import { HttpProblem } from "./problem.ts";
import type { RequestContext } from "./request_state.ts";
import { booleanLike } from "./wire.ts";

/** Both paths of the bulk enrollment operation. */
type BulkEnrollmentOperation = "enrollLearnersInCourses" | "enrollLearnersInCoursesLegacy";

/** The enrollment operations, by operationId. */
export function enrollmentHandlers() {
  const enroll: OperationHandler<BulkEnrollmentOperation> = async (ctx, request) => {
    const result = await enrollFromBody(ctx, request);
    ctx.status = statusOf(result);
    ctx.body = resultToWire(result);
  };
  return {
    enrollLearnersInCourses: enroll,
    enrollLearnersInCoursesLegacy: enroll,

    registerLearners: async (ctx, request) => {
      const result = await ctx.state.services.enrollment.registerLearners(request.body.learners.map((learner) => ({ userId: learner.user_id, email: learner.email })));
      ctx.body = {
        created: result.created,
        updated: result.updated,
        unchanged: result.unchanged,
        enrollments_from_pending: result.enrollmentsFromPending.map((e) => ({
          enrollment_uuid: e.uuid, user_id: e.userId, course_run_key: e.courseRunKey, mode: e.mode, enterprise_customer_uuid: e.enterpriseCustomerUuid,
        })),
      } satisfies Schemas["LearnerRegistration"];
    },
  } satisfies Partial<OperationHandlers>;
}

/** Maps the legacy body (either list name) to the use case's items and runs it; faults are named as the client sent them. */
async function enrollFromBody(ctx: RequestContext, request: ValidatedRequest<BulkEnrollmentOperation>): Promise<BulkEnrollmentResult> {
  const body = request.body;
  const enrollments = body.enrollments_info ?? [];
  const licenses = body.licenses_info ?? [];
  if (enrollments.length > 0 && licenses.length > 0) {
    const message = LEGACY_TEXTS.bothEnrollmentLists;
    throw new HttpProblem(400, message, { fieldErrors: [{ field: "non_field_errors", message }] });
  }
  const listName: BulkListName = enrollments.length === 0 && licenses.length > 0 ? "licenses_info" : "enrollments_info";
  const items = (listName === "licenses_info" ? licenses : enrollments).map(itemFromWire);
  try {
    return await ctx.state.services.enrollment.enrollLearnersInCourses(request.params.uuid, items, {
      discountPercentage: body.discount === undefined ? undefined : Number(body.discount),
    });
  } catch (error) {
    if (error instanceof InvalidBulkRequestError) throw bulkRequestProblem(error, listName);
    throw error;
  }
}

function itemFromWire(item: Schemas["EnrollmentInfo"]): BulkEnrollmentItem {
  return {
    userId: item.user_id === undefined ? undefined : userIdOf(item.user_id),
    email: item.email,
    courseRunKey: item.course_run_key,
    licenseUuid: item.license_uuid,
    transactionId: item.transaction_id,
    forceEnrollment: booleanLike(item.force_enrollment),
  };
}

/** DRF's IntegerField takes numbers and numeric strings; anything else fails the core's check. */
function userIdOf(value: number | string): number {
  if (typeof value === "number") return value;
  return /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
}


/** The legacy status: 409 if anything failed or was invalid, else 202 if anything is pending, else 201. */
function statusOf(result: BulkEnrollmentResult): number {
  if (result.failures.length > 0 || result.invalidEmailAddresses.length > 0 || result.invalidUserIds.length > 0) return 409;
  return result.pending.length > 0 ? 202 : 201;
}

/** The legacy response: the three buckets always, the two invalid lists only when non-empty. */
function resultToWire(result: BulkEnrollmentResult): Schemas["BulkEnrollmentResult"] {
  return {
    successes: result.successes.map((success) => ({
      user_id: success.userId,
      email: success.email,
      course_run_key: success.courseRunKey,
      created: success.created,
      activation_link: null,
      enterprise_fulfillment_source_uuid: success.enrollmentUuid,
      mode: success.mode,
    })),
    pending: result.pending.map((pending) => ({
      email: pending.email, course_run_key: pending.courseRunKey, created: pending.created, activation_link: null,
    })),
    failures: result.failures.map((failure) => ({
      user_id: failure.userId, email: failure.email, course_run_key: failure.courseRunKey, reason: failure.reason,
    })),
    ...(result.invalidEmailAddresses.length > 0 ? { invalid_email_addresses: [...result.invalidEmailAddresses] } : {}),
    ...(result.invalidUserIds.length > 0 ? { invalid_user_ids: [...result.invalidUserIds] } : {}),
  };
}
