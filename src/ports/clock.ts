/** The current time. Tests use a fixed or stepping clock. */
export interface Clock {
  now(): Date;
}
