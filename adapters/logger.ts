/** JSON logs with pino; credentials never reach a log line. */
import { pino, type Logger } from "pino";

/** Paths pino blanks out wherever they appear in a log object. */
const REDACTED = [
  "authorization", "*.authorization", "headers.authorization", "req.headers.authorization",
  "*.secret", "*.clientSecret", "*.password", "*.token", "*.access_token", "config.oauth2", "config.jwt",
];

/**
 * Errors as pino writes them, less the connection that pg-pool attaches to the errors of idle
 * connections (`client`, e.g. when PostgreSQL stops under pg-boss): a live object graph of
 * thousands of characters, with the connection's parameters, on every such line.
 */
function serializeError(error: Error): unknown {
  const serialized = pino.stdSerializers.err(error);
  if (typeof serialized === "object" && serialized !== null) delete serialized.client;
  return serialized;
}

/** The service's logger. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({
    level,
    base: { service: "enterprise-catalog" },
    serializers: { err: serializeError },
    redact: { paths: REDACTED, censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
  }, destination);
}
