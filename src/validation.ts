/** Small checks the core applies to input from any caller, HTTP or in-process. */
import { ValidationError } from "./errors.ts";

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Tells whether a string is a uuid in canonical 8-4-4-4-12 form (any case). */
export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

/** Returns the uuid in lowercase, or throws ValidationError naming the field. */
export function requireUuid(value: string, field: string): string {
  if (!isUuid(value)) {
    throw new ValidationError(`Invalid uuid for "${field}": "${value.slice(0, 80)}"`, {
      fieldErrors: [{ field, message: "must be a valid UUID" }],
    });
  }
  return value.toLowerCase();
}

/** Returns the trimmed text, or throws ValidationError when it is empty or too long. */
export function requireText(value: string, field: string, maxLength: number): string {
  const text = value.trim();
  if (text === "") {
    throw new ValidationError(`"${field}" may not be blank`, {
      fieldErrors: [{ field, message: "may not be blank" }],
    });
  }
  if (text.length > maxLength) {
    throw new ValidationError(`"${field}" is longer than ${maxLength} characters`, {
      fieldErrors: [{ field, message: `must be at most ${maxLength} characters` }],
    });
  }
  return text;
}
