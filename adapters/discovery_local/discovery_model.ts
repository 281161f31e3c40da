/**
 * The bundled database with the model properties course-discovery computes from its rows
 * (`CourseRun.availability`, `is_enrollable`, `is_marketable`, `Course.advertised_course_run`, ...),
 * all judged at one fixed instant, so every answer derived from them is reproducible.
 */
import type {
  CourseReviewRow,
  CourseRow,
  CourseRunRow,
  DiscoveryDatabase,
  LanguageRow,
  OrganizationRow,
  PartnerRow,
  PathwayRow,
  ProgramRow,
  ProgramTypeRow,
  RunTypeRow,
  SeatRow,
  SourceRow,
  SubjectRow,
} from "./discovery_database.ts";

/** `CourseRunRestrictionType` values; restricted runs stay hidden unless `include_restricted` names their type. */
export const RESTRICTION_TYPES: readonly string[] = ["custom-b2b-enterprise", "custom-b2c"];

const DAY = 86_400_000;
/** Seats that cannot be bought alone (`Seat.SEATS_WITH_PREREQUISITES`). */
const SEATS_WITH_PREREQUISITES = new Set(["credit"]);
const EXECUTIVE_EDUCATION = "executive-education-2u";

/** The database's rows by key, and the instant the model's properties are judged at. */
export class DiscoveryModel {
  /** Milliseconds since the epoch: discovery's `now()`. */
  readonly now: number;
  readonly database: DiscoveryDatabase;
  readonly #partners: ReadonlyMap<string, PartnerRow>;
  readonly #organizations: ReadonlyMap<string, OrganizationRow>;
  readonly #subjects: ReadonlyMap<string, SubjectRow>;
  readonly #languages: ReadonlyMap<string, LanguageRow>;
  readonly #sources: ReadonlyMap<string, SourceRow>;
  readonly #courseTypeUuids: ReadonlyMap<string, string>;
  readonly #runTypes: ReadonlyMap<string, RunTypeRow>;
  readonly #programTypes: ReadonlyMap<string, ProgramTypeRow>;
  readonly #courses: ReadonlyMap<string, CourseRow>;
  readonly #programs: ReadonlyMap<string, ProgramRow>;
  readonly #programsOfCourse = new Map<string, ProgramRow[]>();

  constructor(database: DiscoveryDatabase, options: { readonly now: number }) {
    this.database = database;
    this.now = options.now;
    this.#partners = byKey(database.partners, (row) => row.short_code);
    this.#organizations = byKey(database.organizations, (row) => row.key);
    this.#subjects = byKey(database.subjects, (row) => row.slug);
    this.#languages = byKey(database.languages, (row) => row.code);
    this.#sources = byKey(database.sources, (row) => row.slug);
    this.#courseTypeUuids = new Map(database.courseTypes.map((row) => [row.slug, row.uuid]));
    this.#runTypes = byKey(database.runTypes, (row) => row.slug);
    this.#programTypes = byKey(database.programTypes, (row) => row.slug);
    this.#courses = byKey(database.courses, (row) => row.key);
    this.#programs = byKey(database.programs, (row) => row.uuid);
    for (const program of database.programs) {
      for (const key of program.courses) {
        const list = this.#programsOfCourse.get(key) ?? [];
        list.push(program);
        this.#programsOfCourse.set(key, list);
      }
    }
  }

  /** A row that another row names; a dangling name is a broken database, so it throws. */
  partner(shortCode: string): PartnerRow {
    return found(this.#partners, shortCode, "partner");
  }

  organization(key: string): OrganizationRow {
    return found(this.#organizations, key, "organization");
  }

  subject(slug: string): SubjectRow {
    return found(this.#subjects, slug, "subject");
  }

  language(code: string): LanguageRow {
    return found(this.#languages, code, "language");
  }

  source(slug: string): SourceRow {
    return found(this.#sources, slug, "source");
  }

  courseTypeUuid(slug: string): string {
    return found(this.#courseTypeUuids, slug, "course type");
  }

  runType(slug: string): RunTypeRow {
    return found(this.#runTypes, slug, "run type");
  }

  programType(slug: string): ProgramTypeRow {
    return found(this.#programTypes, slug, "program type");
  }

  /** A course by key, or undefined. */
  course(key: string): CourseRow | undefined {
    return this.#courses.get(key);
  }

  /** A program by uuid, or undefined. */
  program(uuid: string): ProgramRow | undefined {
    return this.#programs.get(uuid);
  }

  /** Programs that hold the course, in database order. */
  programsOf(course: CourseRow): readonly ProgramRow[] {
    return this.#programsOfCourse.get(course.key) ?? [];
  }

  /** Every course review. */
  get reviews(): readonly CourseReviewRow[] {
    return this.database.reviews;
  }

  /** Every learner pathway. */
  get pathways(): readonly PathwayRow[] {
    return this.database.pathways;
  }

  // -------------------------------------------------------------------------------------------
  // CourseRun properties

  /** `has_ended()`: the run has an end and it has passed. */
  hasEnded(run: CourseRunRow): boolean {
    return run.end !== null && Date.parse(run.end) < this.now;
  }

  /** `availability`: Archived once ended, Current once started, Starting Soon within 60 days, else Upcoming. */
  availability(run: CourseRunRow): string {
    if (this.hasEnded(run)) return "Archived";
    const start = run.start === null ? null : Date.parse(run.start);
    if (start !== null && start <= this.now) return "Current";
    if (start !== null && start < this.now + 60 * DAY) return "Starting Soon";
    return "Upcoming";
  }

  /** `is_enrollable`: enrollment has opened and not closed; the run's end does not count. */
  isEnrollable(run: CourseRunRow): boolean {
    return (run.enrollment_end === null || Date.parse(run.enrollment_end) >= this.now) &&
      (run.enrollment_start === null || Date.parse(run.enrollment_start) <= this.now);
  }

  /** `marketing_url`: the marketing page of a run of a marketable type, without tracking parameters. */
  runMarketingUrl(course: CourseRow, run: CourseRunRow): string | null {
    if (run.slug === "" || !this.runType(run.type).is_marketable) return null;
    return `${this.partner(course.partner).marketing_site_url_root}course/${run.slug}`;
  }

  /** `is_marketable`: a published run of a marketable type with seats and a marketing page. */
  isMarketable(course: CourseRow, run: CourseRunRow): boolean {
    return this.runType(run.type).is_marketable && run.status === "published" && run.seats.length > 0 &&
      this.runMarketingUrl(course, run) !== null;
  }

  /** `is_marketable_external`: marketable, or a reviewed executive-education run that goes live later. */
  isMarketableExternal(course: CourseRow, run: CourseRunRow): boolean {
    if (this.isMarketable(course, run)) return true;
    if (course.type !== EXECUTIVE_EDUCATION || run.status !== "reviewed") return false;
    const upcoming = run.start !== null && Date.parse(run.start) >= this.now;
    return upcoming && run.go_live_date !== null && Date.parse(run.go_live_date) > this.now;
  }

  /** `is_active`: enrollable, marketable and not ended. */
  isActive(course: CourseRow, run: CourseRunRow): boolean {
    return this.isEnrollable(run) && this.isMarketable(course, run) && !this.hasEnded(run);
  }

  /** `enrollment_deadline`: the earlier of end and enrollment end. */
  enrollmentDeadline(run: CourseRunRow): number | null {
    const dates = [run.end, run.enrollment_end].filter((date) => date !== null).map((date) => Date.parse(date));
    return dates.length === 0 ? null : Math.min(...dates);
  }

  /** `first_enrollable_paid_seat_price`: the integer price of the paid seat with the earliest upgrade deadline. */
  firstEnrollablePaidSeatPrice(run: CourseRunRow): number | null {
    const seat = sortedPaidSeats(run)[0];
    return seat === undefined ? null : Math.trunc(Number(seat.price));
  }

  /** `first_enrollable_paid_seat_sku()`. */
  firstEnrollablePaidSeatSku(run: CourseRunRow): string | null {
    return sortedPaidSeats(run)[0]?.sku ?? null;
  }

  /** `has_enrollable_paid_seats()`. */
  hasEnrollablePaidSeats(run: CourseRunRow): boolean {
    return paidSeats(run).length > 0;
  }

  /** `get_paid_seat_enrollment_end()`: when a newcomer can last buy a paid seat. */
  paidSeatEnrollmentEnd(run: CourseRunRow): number | null {
    const seats = paidSeats(run);
    if (seats.length === 0) return null;
    // The seat with the latest upgrade deadline, one without a deadline first of all.
    const seat = stableMax(seats, upgradeDeadline);
    let deadline = this.enrollmentDeadline(run);
    const upgrade = seat.upgrade_deadline === null ? null : Date.parse(seat.upgrade_deadline);
    if (upgrade !== null && (deadline === null || upgrade < deadline)) deadline = upgrade;
    return deadline;
  }

  /** `is_upgradeable()`. */
  isUpgradeable(run: CourseRunRow): boolean {
    const deadline = this.paidSeatEnrollmentEnd(run);
    return deadline !== null && this.now < deadline;
  }

  /** `is_current()`: started, and its end (if any) is at least two weeks away, by calendar day. */
  isCurrent(run: CourseRunRow): boolean {
    const started = run.start === null || Date.parse(run.start) < this.now;
    const today = Math.floor(this.now / DAY);
    const endsLater = run.end === null || today <= Math.floor(Date.parse(run.end) / DAY) - 14;
    return started && endsLater;
  }

  /** `is_current_and_still_upgradeable()`. */
  isCurrentAndStillUpgradeable(run: CourseRunRow): boolean {
    return this.isCurrent(run) && this.isUpgradeable(run);
  }

  /** `has_enrollable_seats`: enrollment is open and a seat is still for sale. */
  hasEnrollableSeats(run: CourseRunRow): boolean {
    const deadline = this.enrollmentDeadline(run);
    if (deadline !== null && deadline < this.now) return false;
    if (run.enrollment_start !== null && Date.parse(run.enrollment_start) > this.now) return false;
    return run.seats.some((seat) => seat.upgrade_deadline === null || this.now < Date.parse(seat.upgrade_deadline));
  }

  /** `program_types`: type names of the course's programs that are neither unpublished nor deleted, nor leave the run out. */
  programTypes(course: CourseRow, run: CourseRunRow): string[] {
    return this.programsOf(course)
      .filter((program) => program.status !== "unpublished" && program.status !== "deleted" &&
        !program.excluded_course_runs.includes(run.key))
      .map((program) => this.programType(program.type).name);
  }

  /** A language as search facets show it: the macrolanguage, or the full name for Chinese. */
  languageFacet(code: string | null): string | null {
    if (code === null) return null;
    const language = this.language(code);
    return code.startsWith("zh") ? language.name : language.macrolanguage;
  }

  // -------------------------------------------------------------------------------------------
  // Course properties

  /** `end_date`: the latest end of the course's published runs. */
  endDate(runs: readonly CourseRunRow[]): string | null {
    let latest: string | null = null;
    for (const run of runs) {
      if (run.status === "published" && run.end !== null && (latest === null || run.end > latest)) latest = run.end;
    }
    return latest;
  }

  /** `course_ends`: Future unless the latest published end has passed. */
  courseEnds(runs: readonly CourseRunRow[]): string {
    const end = this.endDate(runs);
    return end === null || Date.parse(end) > this.now ? "Future" : "Past";
  }

  /**
   * `first_enrollable_paid_seat_price` of a course: of its active runs (not ended, enrollment not
   * closed) in key order, the first with an enrollable paid seat.
   */
  courseFirstEnrollablePaidSeatPrice(course: CourseRow): number | null {
    const active = course.course_runs.filter((run) =>
      run.end !== null && Date.parse(run.end) > this.now &&
      (run.enrollment_end === null || Date.parse(run.enrollment_end) > this.now)
    ).sort((a, b) => compareText(a.key.toLowerCase(), b.key.toLowerCase()));
    const run = active.find((candidate) => this.hasEnrollablePaidSeats(candidate));
    return run === undefined ? null : this.firstEnrollablePaidSeatPrice(run);
  }

  /**
   * `advertised_course_run` among `runs`: of the marketable runs, the latest current upgradeable
   * one, else the earliest upcoming upgradeable one, else the latest of the rest.
   */
  advertisedRun(course: CourseRow, runs: readonly CourseRunRow[]): CourseRunRow | null {
    const tierOne: CourseRunRow[] = [];
    const tierTwo: CourseRunRow[] = [];
    const tierThree: CourseRunRow[] = [];
    for (const run of runs) {
      if (!this.isMarketable(course, run)) continue;
      const started = run.start === null || Date.parse(run.start) < this.now;
      if (this.isCurrentAndStillUpgradeable(run)) tierOne.push(run);
      else if (!started && this.isUpgradeable(run)) tierTwo.push(run);
      else tierThree.push(run);
    }
    const startOf = (run: CourseRunRow, missing: number): number => (run.start === null ? missing : Date.parse(run.start));
    const latest = (list: CourseRunRow[]) => stableMax(list, (run) => startOf(run, -Infinity));
    if (tierOne.length > 0) return latest(tierOne);
    if (tierTwo.length > 0) return stableMax(tierTwo, (run) => -startOf(run, Infinity));
    if (tierThree.length > 0) return latest(tierThree);
    return null;
  }

  /** `course_run_statuses`: statuses of the visible runs, with ended unpublished ones as `archived`, sorted. */
  courseRunStatuses(runs: readonly CourseRunRow[]): string[] {
    const statuses = new Set<string>();
    for (const run of runs) {
      if (run.hidden) continue;
      statuses.add(run.status === "unpublished" && this.hasEnded(run) ? "archived" : run.status);
    }
    return [...statuses].sort();
  }

  /** `Program.course_runs`: the runs of its courses it does not leave out. */
  programRuns(program: ProgramRow): CourseRunRow[] {
    const runs: CourseRunRow[] = [];
    for (const key of program.courses) {
      for (const run of this.course(key)?.course_runs ?? []) {
        if (!program.excluded_course_runs.includes(run.key)) runs.push(run);
      }
    }
    return runs;
  }

  /** `Program.marketing_url`: under the type's slug. */
  programMarketingUrl(program: ProgramRow): string | null {
    if (program.marketing_slug === "") return null;
    const root = this.partner(program.partner).marketing_site_url_root;
    if (program.marketing_slug.includes("/")) return `${root}${program.marketing_slug}`;
    return `${root}${program.type.toLowerCase()}/${program.marketing_slug}`;
  }

  /** `weeks_to_complete_min`/`max`: over the canonical runs of the program's courses. */
  programWeeksToComplete(program: ProgramRow): { min: number | null; max: number | null } {
    const weeks: number[] = [];
    for (const key of program.courses) {
      const course = this.course(key);
      const canonical = course?.course_runs.find((run) => run.key === course.canonical_course_run_key);
      if (canonical && !program.excluded_course_runs.includes(canonical.key) && canonical.weeks_to_complete !== null) {
        weeks.push(canonical.weeks_to_complete);
      }
    }
    return weeks.length === 0 ? { min: null, max: null } : { min: Math.min(...weeks), max: Math.max(...weeks) };
  }
}

/** `type_legacy`: the one seat type that stands for the run (credit, then professional, verified, honor, audit). */
export function typeLegacy(run: CourseRunRow): string | null {
  const types = new Set(run.seats.map((seat) => seat.type));
  const mapping: readonly [string, readonly string[]][] = [
    ["credit", ["credit"]],
    ["professional", ["professional", "no-id-professional"]],
    ["verified", ["verified"]],
    ["honor", ["honor"]],
    ["audit", ["audit"]],
  ];
  for (const [legacy, seats] of mapping) if (seats.some((seat) => types.has(seat))) return legacy;
  return null;
}

/** The organization part of a `course-v1:ORG+NUMBER+RUN` key. */
export function keyOrganization(runKey: string): string | null {
  return /^course-v1:([^+]+)\+/.exec(runKey)?.[1] ?? null;
}

/** The number part of a `course-v1:ORG+NUMBER+RUN` key. */
export function keyNumber(runKey: string): string | null {
  return /^course-v1:[^+]+\+([^+]+)\+/.exec(runKey)?.[1] ?? null;
}

/** Codepoint order, as Python compares `str`. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Paid seats that can be bought alone (`_enrollable_paid_seats`). */
function paidSeats(run: CourseRunRow): SeatRow[] {
  return run.seats.filter((seat) => !SEATS_WITH_PREREQUISITES.has(seat.type) && Number(seat.price) > 0);
}

/** Paid seats by upgrade deadline, those without one last (Python's stable sort). */
function sortedPaidSeats(run: CourseRunRow): SeatRow[] {
  return paidSeats(run).sort((a, b) => upgradeDeadline(a) - upgradeDeadline(b));
}

/** `_upgrade_deadline_sort`: a seat without a deadline counts as the latest. */
function upgradeDeadline(seat: SeatRow): number {
  return seat.upgrade_deadline === null ? Infinity : Date.parse(seat.upgrade_deadline);
}

/** The first item with the largest score, as `sorted(..., reverse=True)[0]` picks it. */
function stableMax<T>(items: readonly T[], score: (item: T) => number): T {
  let best = items[0] as T;
  for (const item of items) if (score(item) > score(best)) best = item;
  return best;
}

function byKey<T>(rows: readonly T[], key: (row: T) => string): ReadonlyMap<string, T> {
  return new Map(rows.map((row) => [key(row), row]));
}

function found<T>(map: ReadonlyMap<string, T>, key: string, what: string): T {
  const value = map.get(key);
  if (value === undefined) throw new TypeError(`The discovery database names an unknown ${what}: "${key}"`);
  return value;
}
