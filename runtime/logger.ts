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

const ERROR_LEVEL = pino.levels.values.error!;

function writeNow(destination: pino.DestinationStream & { flushSync?: () => void }): void {
  try {
    destination.flushSync?.();
  } catch {
    // Not open yet, or closed: the batch goes out with the next write, or is gone with the process.
  }
}

/** Resolves when what the logger holds is written (or after a second, should the output be stuck). */
export function logsWritten(log: Logger): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 1000);
    log.flush(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export function createLogger(settings: LoggerSettings): Logger {
  const destination = settings.destination ?? pino.destination(STANDARD_OUTPUT);
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
    hooks: {
      // Errors are written at once, not with the next batch: they are the lines that explain a crash.
      logMethod(args, method, level) {
        method.apply(this, args);
        if (level >= ERROR_LEVEL) writeNow(destination);
      },
    },
  };
  return pino(options, destination);
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
