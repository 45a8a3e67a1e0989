// Structured JSON logs, one line per event, for the gateway and every city.
// Lines name operations, outcomes, codes and trace ids, never request
// variables, results or error messages (they can echo personal data).
import { pino, type Logger, type LoggerOptions } from 'pino';
import { logLevelOf, readProcessSettings } from './environment';

export type { Logger };

export interface LoggerSettings {
  /** "avhoppare-gateway", "avhoppare-city" ... */
  service: string;
  /** The city this process is; absent at the gateway. */
  municipality?: string;
  /** @default LOG_LEVEL, else "info" */
  level?: string;
  /** Where lines go; standard output by default. */
  destination?: pino.DestinationStream;
}

// Defence in depth: credentials and personal fields are masked should any
// call site ever pass them.
const REDACT = [
  'authorization',
  'token',
  'password',
  'personName',
  'personalIdentityNumber',
  'variables',
  'headers',
  '*.authorization',
  '*.token',
  '*.password',
  '*.personName',
  '*.personalIdentityNumber',
  '*.variables',
  '*.headers',
  '*["x-gateway-principal"]',
  '*["x-peer-assertion"]',
];

// Asynchronous and batched: lines gather until 4 KiB or a quarter of a second,
// so a busy process writes a few times a second rather than once per request
// (the write per line was about 5 % of the gateway's time under load). pino
// flushes what is pending when the process exits; a process killed outright
// loses at most its last quarter second of lines.
const STANDARD_OUTPUT = { dest: 1, sync: false, minLength: 4096, periodicFlush: 250 };

export function createLogger(settings: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level: settings.level === undefined ? readProcessSettings().logLevel : logLevelOf(settings.level),
    base: {
      service: settings.service,
      ...(settings.municipality ? { municipality: settings.municipality } : {}),
    },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    messageKey: 'msg',
    redact: { paths: REDACT, censor: '[redacted]' },
    serializers: { err: safeError },
  };
  return pino(options, settings.destination ?? pino.destination(STANDARD_OUTPUT));
}

/**
 * What an error may say in a log line: its kind, code and stack frames. Not
 * its message, which can carry input values (a name, a personnummer).
 */
export function safeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const code = (error as { code?: unknown }).code;
  const extensions = (error as { extensions?: { code?: unknown } }).extensions;
  return {
    type: error.name,
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    ...(typeof extensions?.code === 'string' ? { code: extensions.code } : {}),
    stack: error.stack
      ?.split('\n')
      .filter((line) => /^\s+at /.test(line))
      .map((line) => line.trim())
      .slice(0, 12),
  };
}
