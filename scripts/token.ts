// npm run -s token -- --municipality <code> [options]: prints a token of the
// municipality's local dev issuer on the last line. Development only: it
// refuses with NODE_ENV=production. Every option is in USAGE.
import { parseArgs } from 'node:util';
import { mintDevToken, PERMISSIONS } from '../gateway/auth/devIssuer';
import { serverEnvironment } from '../runtime/environment';
import { readNetwork } from '../schema/contract/network';
import { readScriptEnvironment, toolEnvironment } from './environment';

const USAGE = `Usage: npm run -s token -- --municipality <code> [options]

Prints a bearer token of the municipality's local dev issuer (npm start's
network) on its last line.

  -m, --municipality <code>   the person's municipality: a code of the network
                              (NETWORK_FILE, or the demo network: 0180, 1480, 1280)
  -p, --permission <name>     a permission the person holds; repeat for several:
                              ${PERMISSIONS.join(', ')} (default: caseworker)
      --unit <id>             the person's unit, as the city's internal API names it
                              (default: none)
      --subject <name>        the person (the token's sub; default: dev-user-<code>)
      --expires-in <time>     lifetime: a whole number of seconds, minutes or hours
                              such as 90s, 30m or 1h; at most TOKEN_MAX_AGE_SECONDS
                              (1h unless set), which the gateway refuses beyond
                              (default: 1h)
  -h, --help                  this text`;

function refuse(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

function parseOptions() {
  try {
    return parseArgs({
      options: {
        municipality: { type: 'string', short: 'm' },
        permission: { type: 'string', short: 'p', multiple: true },
        unit: { type: 'string' },
        subject: { type: 'string' },
        'expires-in': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    return refuse((error as Error).message);
  }
}

const { values } = parseOptions();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const { KEYS_DIR: keysDir, NODE_ENV: mode, NETWORK_FILE } = readScriptEnvironment(toolEnvironment);
const { TOKEN_MAX_AGE_SECONDS: maxAge } = readScriptEnvironment(
  serverEnvironment.pick({ TOKEN_MAX_AGE_SECONDS: true }),
);
if (mode === 'production') {
  // A dev token is trusted by nothing in production; minting one would also create a dev key.
  console.error(
    'npm run token refuses with NODE_ENV=production: tokens come from the municipality’s identity provider.',
  );
  process.exit(2);
}

function networkCodes(): string[] {
  try {
    return readNetwork(NETWORK_FILE).municipalities.map((m) => m.code);
  } catch (error) {
    console.error((error as Error).message);
    return process.exit(2);
  }
}

const codes = networkCodes();
if (!values.municipality) refuse('--municipality is required.');
if (!codes.includes(values.municipality))
  refuse(
    `Municipality ${values.municipality} is not in the network; its municipalities: ${codes.join(', ')}.`,
  );

const permissions = values.permission ?? ['caseworker'];
const unknown = permissions.filter((p) => !(PERMISSIONS as readonly string[]).includes(p));
if (unknown.length > 0)
  refuse(`Unknown permission(s): ${unknown.join(', ')}. Permissions: ${PERMISSIONS.join(', ')}.`);

const UNIT_SECONDS = { s: 1, m: 60, h: 3600 } as const;
let expiresIn: string | undefined;
if (values['expires-in'] !== undefined) {
  const match = /^(\d+)([smh])$/.exec(values['expires-in']);
  const lifetime = match ? Number(match[1]) * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS] : 0;
  if (!match || lifetime <= 0)
    refuse(`--expires-in ${values['expires-in']} is not a lifetime such as 90s, 30m or 1h.`);
  if (lifetime > maxAge)
    refuse(
      `--expires-in ${values['expires-in']} is longer than TOKEN_MAX_AGE_SECONDS (${maxAge} s): the gateway would refuse the token.`,
    );
  expiresIn = `${lifetime}s`;
}

const token = await mintDevToken(keysDir, {
  municipality: values.municipality,
  permissions,
  unit: values.unit ?? null,
  subject: values.subject,
  expiresIn,
});
console.log(token);
