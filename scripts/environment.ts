// The scripts' own variables: the demo launcher (npm start), the tools that
// act as a person of a city (npm run token, npm run audit:verify) and code
// generation (npm run generate). Declared once: docs/operating.md's tables are
// generated from these schemas (npm run docs).
import { z } from 'zod';
import { DEFAULT_KEYS_DIR } from '../runtime/keys';

export const launcherEnvironment = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000).meta({
    description: 'The gateway’s port; the cities keep their configured ports (4101–4103).',
  }),
  IDP_PORT: z.coerce.number().int().min(0).max(65535).default(4010).meta({
    description:
      'Port of the demo OpenID providers, one issuer per municipality (`http://localhost:<port>/<code>`).',
  }),
  KEYS_DIR: z.string().default(DEFAULT_KEYS_DIR).meta({
    description: 'Where every key is created on first use; handed to the cities and the gateway.',
    kind: 'directory',
  }),
  DATA_ROOT: z.string().default('.data').meta({
    description:
      'Where the cities’ PGlite directories (`cities/<code>/pgdata`), the network file and the demo agreements go.',
    kind: 'directory',
  }),
  VERBOSE: z
    .string()
    .optional()
    .transform((value = '') => value.trim() !== '' && !/^(0|false|no|off)$/i.test(value.trim()))
    .meta({
      description: 'Print every log line of the processes, not only warnings and errors.',
      kind: '`1` or unset',
      whenUnset: 'off',
    }),
});

export const toolEnvironment = z.object({
  KEYS_DIR: z.string().default(DEFAULT_KEYS_DIR).meta({
    description: 'Where the local dev issuers’ keys are: `npm run token` signs its tokens with them.',
    kind: 'directory',
  }),
  NETWORK_FILE: z.string().optional().meta({
    description: 'Where each city answers (`npm run audit:verify` without `--url`).',
    kind: 'JSON file path',
    whenUnset: 'the demo network',
  }),
  NODE_ENV: z.string().default('development').meta({
    description:
      '`production`: the tools never stand in for an identity provider (`npm run token` refuses to mint a dev token); tokens must be given.',
    kind: '`production` or anything else',
  }),
  AUDITOR_TOKEN: z.string().optional().meta({
    description:
      'The bearer token `npm run audit:verify` authenticates with: an auditor’s token from the municipality’s own identity provider (`--token-file` wins). It never mints one.',
    kind: 'JWT',
    whenUnset: '`--token-file` is required',
  }),
  TLS_CA_FILE: z.string().optional().meta({
    description: 'PEM bundle of the authorities `npm run audit:verify` trusts for an `https:` city.',
    kind: 'PEM file path',
    whenUnset: 'the system’s certificate authorities',
  }),
});

export const generateEnvironment = z.object({
  PRISMA_SCHEMA_ENGINE_BINARY: z.string().optional().meta({
    description:
      'A Prisma schema engine. `prisma generate` only needs the file to exist, so without one an empty placeholder is used and nothing is downloaded.',
    kind: 'file path',
    whenUnset: 'an empty placeholder in the temporary directory',
  }),
});

/** A script's variables, checked; a malformed one stops the script with one line naming it. */
export function readScriptEnvironment<T extends z.ZodObject>(
  schema: T,
  environment: NodeJS.ProcessEnv = process.env,
): z.output<T> {
  const parsed = schema.safeParse(environment);
  if (parsed.success) return parsed.data;
  console.error(`Invalid environment: ${z.prettifyError(parsed.error)}`);
  process.exit(2);
}
