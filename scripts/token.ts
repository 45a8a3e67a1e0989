// npm run -s token -- --municipality 0180 [--permission caseworker] [--unit ID] [--subject NAME]
// Prints a token of the municipality's local dev issuer on the last line.
// Development only: it refuses with NODE_ENV=production.
import { parseArgs } from 'node:util';
import { mintDevToken, PERMISSIONS } from '../gateway/auth/devIssuer';
import { readScriptEnvironment, toolEnvironment } from './environment';

const { values } = parseArgs({
  options: {
    municipality: { type: 'string', short: 'm' },
    permission: { type: 'string', short: 'p', multiple: true },
    unit: { type: 'string' },
    subject: { type: 'string' },
    'expires-in': { type: 'string' },
  },
});

if (!values.municipality || !/^\d{4}$/.test(values.municipality)) {
  console.error(
    'Usage: npm run -s token -- --municipality <four-digit code> [--permission caseworker|coordinator|finance|auditor]',
  );
  process.exit(2);
}
const permissions = values.permission ?? ['caseworker'];
const unknown = permissions.filter((r) => !(PERMISSIONS as readonly string[]).includes(r));
if (unknown.length > 0) {
  console.error(`Unknown permission(s): ${unknown.join(', ')}. Permissions: ${PERMISSIONS.join(', ')}`);
  process.exit(2);
}
const { KEYS_DIR: keysDir, NODE_ENV: mode } = readScriptEnvironment(toolEnvironment);
if (mode === 'production') {
  // A dev token is trusted by nothing in production; minting one would also create a dev key.
  console.error(
    'npm run token refuses with NODE_ENV=production: tokens come from the municipality’s identity provider.',
  );
  process.exit(2);
}
const token = await mintDevToken(keysDir, {
  municipality: values.municipality,
  permissions,
  unit: values.unit ?? null,
  subject: values.subject,
  expiresIn: values['expires-in'],
});
console.log(token);
