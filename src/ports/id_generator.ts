/** New random identifiers. */
export interface IdGenerator {
  /** A new version-4 uuid in lowercase canonical form. */
  uuid(): string;
}
