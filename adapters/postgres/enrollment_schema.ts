/** Tables of the enrollment ledger: learners, enrollments and pending enrollments. */
import { defineEntity, type InferEntity, p } from "@mikro-orm/core";

/** A learner the LMS knows, registered through the learner registration use case. */
export const LearnerSchema = defineEntity({
  name: "LearnerRow",
  tableName: "learner",
  properties: {
    userId: p.bigint("number").primary().autoincrement(false).fieldName("user_id"),
    /** Lower-cased by the core, so a plain unique index is case-insensitive in effect. */
    email: p.string().length(254).unique(),
    created: p.datetime(),
    modified: p.datetime(),
  },
});
/** A `learner` row. */
export type LearnerRow = InferEntity<typeof LearnerSchema>;

/** An active enrollment of a learner in a course run; one per learner and run. */
export const EnrollmentSchema = defineEntity({
  name: "EnrollmentRow",
  tableName: "enrollment",
  properties: {
    uuid: p.uuid().primary(),
    userId: p.manyToOne(LearnerSchema).mapToPk().fieldName("user_id").deleteRule("no action").updateRule("no action"),
    courseRunKey: p.string().length(255),
    mode: p.string().length(64),
    enterpriseCustomerUuid: p.uuid(),
    licenseUuid: p.string().length(255).nullable(),
    transactionId: p.string().length(255).nullable(),
    created: p.datetime(),
  },
  uniques: [{ properties: ["userId", "courseRunKey"] }],
  indexes: [{ properties: ["enterpriseCustomerUuid", "created", "uuid"] }],
});
/** An `enrollment` row. */
export type EnrollmentRow = InferEntity<typeof EnrollmentSchema>;

/** An enrollment waiting for a learner with this email; one per customer, email and run. */
export const PendingEnrollmentSchema = defineEntity({
  name: "PendingEnrollmentRow",
  tableName: "pending_enrollment",
  properties: {
    uuid: p.uuid().primary(),
    enterpriseCustomerUuid: p.uuid(),
    email: p.string().length(254),
    courseRunKey: p.string().length(255),
    mode: p.string().length(64),
    licenseUuid: p.string().length(255).nullable(),
    transactionId: p.string().length(255).nullable(),
    discountPercentage: p.decimal("number").precision(8).scale(5),
    created: p.datetime(),
  },
  uniques: [{ properties: ["enterpriseCustomerUuid", "email", "courseRunKey"] }],
  indexes: [{ properties: ["email"] }, { properties: ["enterpriseCustomerUuid", "created", "uuid"] }],
});
/** A `pending_enrollment` row. */
export type PendingEnrollmentRow = InferEntity<typeof PendingEnrollmentSchema>;

/** The enrollment ledger's entities, for `ENTITIES` in `schema.ts`. */
export const ENROLLMENT_ENTITIES = [LearnerSchema, EnrollmentSchema, PendingEnrollmentSchema] as const;
