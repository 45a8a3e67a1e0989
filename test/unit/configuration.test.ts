// Configuration is declared once: every variable a process reads is in a
// schema with a description and what applies when it is unset, and only the
// configuration modules read the environment.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { gatewayEnvironment, readGatewayConfig } from '../../gateway/config';
import { processEnvironment, readProcessSettings, serverEnvironment } from '../../runtime/environment';
import { tracingRequested } from '../../runtime/telemetry';
import { documentEnvironment } from '../../scripts/docs/environment';
import { ROOT } from '../../scripts/docs/generate';
import { generateEnvironment, launcherEnvironment, toolEnvironment } from '../../scripts/environment';
import { cityEnvironment } from '../../subgraphs/config';

const SCHEMAS: Record<string, z.ZodObject> = {
  gateway: gatewayEnvironment,
  city: cityEnvironment,
  'every process': processEnvironment,
  'every server': serverEnvironment,
  launcher: launcherEnvironment,
  tools: toolEnvironment,
  generate: generateEnvironment,
};

/** The modules that read the environment, one per process (and the shared one). */
const CONFIGURATION_MODULES = [
  'gateway/config.ts',
  'subgraphs/config.ts',
  'runtime/environment.ts',
  'scripts/environment.ts',
];

/**
 * Reads outside them that remain, each with its reason: the city names itself
 * in the log line of a failed start, before its configuration is read.
 */
const KNOWN_READS = { 'subgraphs/main.ts': ['CITY'] };

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)))
    .filter((file) => !file.includes('/generated/'));
}

describe('configuration', () => {
  it.each(Object.entries(SCHEMAS))('describes every %s variable and what applies when unset', (_, schema) => {
    const variables = documentEnvironment(schema);
    expect(variables.length).toBeGreaterThan(0);
    for (const variable of variables) {
      expect(variable.description, variable.name).toMatch(/\S{3}/);
      expect(variable.default, `${variable.name} says nothing of what applies when unset`).not.toBe('–');
    }
  });

  it('is read from the environment only in the configuration modules', () => {
    // A read: process.env.X, process.env[X], or process.env as a default or value.
    // Passing the whole environment on to a child process ({ ...process.env }) is not one.
    const read = /process\.env\s*[.[]|=\s*process\.env\b/g;
    const outside: Record<string, string[]> = {};
    for (const file of ['gateway', 'subgraphs', 'runtime', 'scripts', 'schema'].flatMap(sources)) {
      if (CONFIGURATION_MODULES.includes(file)) continue;
      const text = readFileSync(join(ROOT, file), 'utf8');
      const names = [...text.matchAll(read)].map(
        (m) => /^process\.env\.(\w+)/.exec(text.slice(m.index))?.[1] ?? m[0],
      );
      if (names.length > 0) outside[file] = names;
    }
    const unexpected = Object.entries(outside).filter(
      ([file, names]) => names.join() !== (KNOWN_READS[file as keyof typeof KNOWN_READS] ?? []).join(),
    );
    expect(Object.fromEntries(unexpected), 'read it in the process’s configuration module').toEqual({});
  });

  it('keeps the gateway’s documented defaults', () => {
    const config = readGatewayConfig({});
    expect(config).toMatchObject({ host: '127.0.0.1', port: 4000, cityTimeoutMs: 5000, introspection: true });
    expect(readGatewayConfig({ NODE_ENV: 'production' }).introspection).toBe(false);
    expect(() => readGatewayConfig({ PORT: 'eighty' })).toThrow(/Invalid environment[\s\S]*PORT/);
  });
});

describe('shared process settings', () => {
  it('reads the log level in any case and falls back to info', () => {
    expect(readProcessSettings({}).logLevel).toBe('info');
    expect(readProcessSettings({ LOG_LEVEL: 'WARN' }).logLevel).toBe('warn');
    expect(readProcessSettings({ LOG_LEVEL: 'loud' }).logLevel).toBe('info');
  });

  it('asks for tracing only as the OTEL_* variables say', () => {
    const endpoint = 'http://collector:4318';
    expect(tracingRequested({})).toBe(false);
    expect(tracingRequested({ OTEL_SERVICE_NAME: 'x' })).toBe(false);
    expect(tracingRequested({ OTEL_TRACES_EXPORTER: 'otlp' })).toBe(true);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint })).toBe(true);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${endpoint}/v1/traces` })).toBe(true);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_TRACES_EXPORTER: 'none' })).toBe(
      false,
    );
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SDK_DISABLED: 'TRUE' })).toBe(
      false,
    );
  });

  it('passes on the protocol and service name asked for', () => {
    const { tracing } = readProcessSettings({
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: ' http/protobuf ',
      OTEL_SERVICE_NAME: ' stockholm ',
    });
    expect(tracing).toEqual({ requested: true, protocol: 'http/protobuf', serviceName: 'stockholm' });
  });
});

describe('the launcher’s variables', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['0', false],
    ['false', false],
    ['1', true],
    ['yes', true],
  ])('VERBOSE=%s is %s', (value, verbose) => {
    expect(launcherEnvironment.parse(value === undefined ? {} : { VERBOSE: value }).VERBOSE).toBe(verbose);
  });

  it('refuses a port that is not a number', () => {
    expect(launcherEnvironment.safeParse({ PORT: 'x' }).success).toBe(false);
    expect(launcherEnvironment.parse({}).PORT).toBe(4000);
  });
});
