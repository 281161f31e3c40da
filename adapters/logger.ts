/** JSON logs with pino; credentials never reach a log line. */
import { pino, type Logger } from "pino";

/** Paths pino blanks out wherever they appear in a log object. */
const REDACTED = [
  "authorization", "*.authorization", "headers.authorization", "req.headers.authorization",
  "*.secret", "*.clientSecret", "*.password", "*.token", "*.access_token", "config.oauth2", "config.jwt",
];

/** The service's logger. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({
    level,
    base: { service: "enterprise-catalog" },
    redact: { paths: REDACTED, censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
  }, destination);
}
