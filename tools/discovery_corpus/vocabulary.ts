/**
 * The fixed tables of the generated discovery database: partners, organizations, subjects,
 * languages, product sources, course, run and program types, and the course types' seat plans.
 */
import type {
  CourseTypeRow,
  LanguageRow,
  OrganizationRow,
  PartnerRow,
  ProgramTypeRow,
  RunTypeRow,
  SourceRow,
  SubjectRow,
} from "../../adapters/discovery_local/discovery_database.ts";
import { stableUuid } from "./random.ts";

/** When the fixed rows were last modified. */
const FIXED_ROWS_MODIFIED = "2025-06-01T00:00:00Z";
const CDN = "https://prod-discovery.edx-cdn.org";

/** Discovery sites: nearly everything is on edx.org. */
export const PARTNERS: readonly PartnerRow[] = [
  { short_code: "edx", name: "edX", marketing_site_url_root: "https://www.edx.org/", lms_url: "https://courses.edx.org" },
  {
    short_code: "openedx",
    name: "Open edX",
    marketing_site_url_root: "https://www.openedx.example/",
    lms_url: "https://lms.openedx.example",
  },
];

/** An organization and how the generator uses it. */
export interface OrganizationSpec {
  readonly row: OrganizationRow;
  /** Share of the generated courses, relative to the others. */
  readonly weight: number;
  /** Every course of the organization is executive education (2U). */
  readonly execEd: boolean;
  /** Language codes its courses are taught in, repeated for weight. */
  readonly languages: readonly string[];
}

const MOSTLY_ENGLISH = ["en-us", "en-us", "en-us", "en-us", "es-es", "fr-fr", "ar-ae", "pt-br", "hi"];

/** Organizations, weighted by how many courses they give. */
export const ORGANIZATIONS: readonly OrganizationSpec[] = [
  organization("HarvardX", "Harvard University", 12),
  organization("MITx", "Massachusetts Institute of Technology", 12),
  organization("edX", "edX", 5),
  organization("BerkeleyX", "University of California, Berkeley", 8),
  organization("DelftX", "Delft University of Technology", 7),
  organization("UQx", "The University of Queensland", 5),
  organization("IBM", "IBM", 8),
  organization("LinuxFoundationX", "The Linux Foundation", 5),
  organization("MichiganX", "University of Michigan", 6),
  organization("UPValenciaX", "Universitat Politècnica de València", 5, { languages: ["es-es", "es-es", "en-us"] }),
  organization("TsinghuaX", "Tsinghua University 清华大学", 4, { languages: ["zh-cmn", "en-us"] }),
  organization("Wharton", "The Wharton School of the University of Pennsylvania", 4, { execEd: true }),
  organization("CambridgeJBS", "Cambridge Judge Business School", 3, { execEd: true }),
  organization("OpenCraftX", "OpenCraft", 2, { partner: "openedx" }),
];

function organization(
  key: string,
  name: string,
  weight: number,
  extra: { partner?: string; execEd?: boolean; languages?: readonly string[] } = {},
): OrganizationSpec {
  const slug = slugify(key);
  return {
    weight,
    execEd: extra.execEd ?? false,
    languages: extra.languages ?? MOSTLY_ENGLISH,
    row: {
      uuid: stableUuid(`org:${key}`),
      key,
      name,
      partner: extra.partner ?? "edx",
      description: `<p>${name} offers courses on edX.</p>`,
      homepage_url: `https://www.${slug}.example/`,
      logo_image_url: `${CDN}/organization/logos/${slug}.png`,
      certificate_logo_image_url: null,
      banner_image_url: null,
      marketing_url: `https://www.edx.org/school/${slug}`,
      slug,
      organization_hex_color: null,
      enterprise_subscription_inclusion: !(extra.execEd ?? false),
      auto_generate_course_run_keys: true,
      tags: [],
      data_modified_timestamp: FIXED_ROWS_MODIFIED,
    },
  };
}

/** A subject and the topics its course titles draw from. */
export interface SubjectSpec {
  readonly row: SubjectRow;
  readonly prefix: string;
  readonly topics: readonly string[];
}

/** Subjects with their course-number prefix and topics. */
export const SUBJECTS: readonly SubjectSpec[] = [
  subject("CS", "Computer Science", ["Programming", "Algorithms", "Web Development", "Cybersecurity", "Cloud Computing", "Python"]),
  subject("DS", "Data Analysis & Statistics", ["Data Science", "Machine Learning", "Statistics", "Data Visualization", "SQL"]),
  subject("BUS", "Business & Management", ["Leadership", "Strategy", "Marketing", "Negotiation", "Project Management"]),
  subject("ECON", "Economics & Finance", ["Microeconomics", "Macroeconomics", "Corporate Finance", "Financial Markets"]),
  subject("ENG", "Engineering", ["Circuits", "Robotics", "Thermodynamics", "Materials Science"]),
  subject("BIO", "Biology & Life Sciences", ["Genetics", "Neuroscience", "Molecular Biology", "Ecology"]),
  subject("MED", "Medicine", ["Public Health", "Epidemiology", "Global Health", "Nutrition"]),
  subject("HUM", "Humanities", ["Philosophy", "World History", "Literature", "Ethics"]),
  subject("MATH", "Math", ["Calculus", "Linear Algebra", "Probability", "Discrete Mathematics"]),
  subject("LANG", "Language", ["English Grammar", "Academic Writing", "Business English", "Spanish for Beginners"]),
];

function subject(prefix: string, name: string, topics: readonly string[]): SubjectSpec {
  const slug = slugify(name);
  return {
    prefix,
    topics,
    row: {
      uuid: stableUuid(`subject:${prefix}`),
      name,
      slug,
      subtitle: `Learn about ${name.toLowerCase()}.`,
      description: `<p>Courses in ${name}.</p>`,
      banner_image_url: `${CDN}/media/subjects/${slug}-banner.jpg`,
      card_image_url: `${CDN}/media/subjects/${slug}-card.jpg`,
    },
  };
}

/** Languages runs are taught in. */
export const LANGUAGES: readonly LanguageRow[] = [
  { code: "en-us", name: "English - United States", macrolanguage: "English" },
  { code: "es-es", name: "Spanish - Spain", macrolanguage: "Spanish" },
  { code: "fr-fr", name: "French - France", macrolanguage: "French" },
  { code: "ar-ae", name: "Arabic - United Arab Emirates", macrolanguage: "Arabic" },
  { code: "pt-br", name: "Portuguese - Brazil", macrolanguage: "Portuguese" },
  { code: "hi", name: "Hindi", macrolanguage: "Hindi" },
  { code: "zh-cmn", name: "Chinese - Mandarin", macrolanguage: "Chinese" },
];

/** Product sources. */
export const SOURCES: readonly SourceRow[] = [
  { slug: "edx", name: "edX", description: "" },
  { slug: "2u", name: "2U", description: "Executive education and bootcamps" },
  { slug: "shorelight", name: "Shorelight", description: "" },
];

/** Run types; runs of `empty` are not marketable, so search never indexes them. */
export const RUN_TYPES: readonly RunTypeRow[] = [
  runType("verified-audit", "Verified and Audit"),
  runType("verified", "Verified Only"),
  runType("audit", "Audit Only"),
  runType("professional", "Professional Only"),
  runType("credit-verified-audit", "Credit, Verified and Audit"),
  runType("paid-executive-education", "Paid Executive Education"),
  runType("paid-bootcamp", "Paid Bootcamp"),
  runType("empty", "Empty", false),
];

function runType(slug: string, name: string, marketable = true): RunTypeRow {
  return { uuid: stableUuid(`run-type:${slug}`), slug, name, is_marketable: marketable };
}

/** One seat a course type's runs carry. */
export interface SeatSpec {
  readonly type: string;
  /** Free seats cost "0.00"; paid ones the course's price. */
  readonly paid: boolean;
  /** Verified seats close for upgrades ten days before the run ends. */
  readonly upgradeDeadline: boolean;
  readonly credit: boolean;
}

/** A course type with the run type, seats and entitlement its courses get. */
export interface CourseTypeSpec {
  readonly row: CourseTypeRow;
  readonly runType: string;
  readonly seats: readonly SeatSpec[];
  readonly entitlement: string | null;
  readonly prices: readonly number[];
  readonly productSource: string;
  /** Share among the courses of organizations that are not wholly executive education. */
  readonly weight: number;
}

const AUDIT_SEAT: SeatSpec = { type: "audit", paid: false, upgradeDeadline: false, credit: false };
const VERIFIED_SEAT: SeatSpec = { type: "verified", paid: true, upgradeDeadline: true, credit: false };

/** Course types, in the order of their weights. */
export const COURSE_TYPES: readonly CourseTypeSpec[] = [
  courseType("verified-audit", "Verified and Audit", 50, [AUDIT_SEAT, VERIFIED_SEAT], "verified", [49, 50, 99, 149, 199, 249, 299, 399]),
  courseType("verified", "Verified Only", 8, [VERIFIED_SEAT], "verified", [49, 99, 150, 199, 300]),
  courseType("audit", "Audit Only", 8, [AUDIT_SEAT], null, []),
  courseType("professional", "Professional Only", 10, [paidSeat("professional")], "professional", [199, 450, 750, 995, 1250]),
  courseType("credit-verified-audit", "Credit, Verified and Audit", 3, [
    AUDIT_SEAT,
    VERIFIED_SEAT,
    { type: "credit", paid: true, upgradeDeadline: false, credit: true },
  ], "verified", [299, 600, 1000]),
  courseType("empty", "Empty", 2, [AUDIT_SEAT], null, [], { runType: "empty" }),
  courseType("executive-education-2u", "Executive Education (2U)", 12, [paidSeat("paid-executive-education")],
    "paid-executive-education", [1800, 2250, 2800, 3200, 4500], { runType: "paid-executive-education", productSource: "2u" }),
  courseType("bootcamp-2u", "Bootcamp (2U)", 2, [paidSeat("paid-bootcamp")], "paid-bootcamp", [12995, 14995], {
    runType: "paid-bootcamp",
    productSource: "2u",
  }),
  courseType("verified-audit", "Verified and Audit", 1, [AUDIT_SEAT, VERIFIED_SEAT], "verified", [99], { productSource: "shorelight" }),
];

function paidSeat(type: string): SeatSpec {
  return { type, paid: true, upgradeDeadline: false, credit: false };
}

function courseType(
  slug: string,
  name: string,
  weight: number,
  seats: readonly SeatSpec[],
  entitlement: string | null,
  prices: readonly number[],
  extra: { runType?: string; productSource?: string } = {},
): CourseTypeSpec {
  return {
    row: { uuid: stableUuid(`course-type:${slug}`), slug, name },
    runType: extra.runType ?? slug,
    seats,
    entitlement,
    prices,
    productSource: extra.productSource ?? "edx",
    weight,
  };
}

/** The executive-education course type, given to every course of an executive-education organization. */
export const EXEC_ED = COURSE_TYPES.find((spec) => spec.row.slug === "executive-education-2u") as CourseTypeSpec;
/** The type of most courses. */
export const VERIFIED_AUDIT = COURSE_TYPES[0] as CourseTypeSpec;
/** The type of the demonstration course. */
export const AUDIT = COURSE_TYPES.find((spec) => spec.row.slug === "audit") as CourseTypeSpec;

/** Course type rows, one per slug. */
export const COURSE_TYPE_ROWS: readonly CourseTypeRow[] = [...new Map(COURSE_TYPES.map((spec) => [spec.row.slug, spec.row])).values()];

/** Program types. */
export const PROGRAM_TYPES: readonly ProgramTypeRow[] = [
  programType("professional-certificate", "Professional Certificate", ["verified", "professional"]),
  programType("xseries", "XSeries", ["verified"]),
  programType("micromasters", "MicroMasters", ["verified"]),
  programType("microbachelors", "MicroBachelors", ["verified"], true),
];

function programType(slug: string, name: string, seatTypes: readonly string[], coaching = false): ProgramTypeRow {
  return { uuid: stableUuid(`program-type:${slug}`), slug, name, coaching_supported: coaching, applicable_seat_types: seatTypes };
}

/** Lower-case, dash-separated, ASCII: what discovery's slug fields hold. */
export function slugify(text: string): string {
  return text.normalize("NFKD").replace(/[^\w\s-]/g, "").trim().toLowerCase().replace(/[\s_-]+/g, "-");
}
