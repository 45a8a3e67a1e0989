// npm run -s token -- --municipality 0180 [--role caseworker] [--unit ID] [--subject NAME]
// Prints a token of the municipality's local dev issuer on the last line.
import { parseArgs } from 'node:util';
import { mintDevToken, ROLES } from '../gateway/auth/devIssuer';
import { DEFAULT_KEYS_DIR } from '../schema/contract/identity';

const { values } = parseArgs({
  options: {
    municipality: { type: 'string', short: 'm' },
    role: { type: 'string', short: 'r', multiple: true },
    unit: { type: 'string' },
    subject: { type: 'string' },
    'expires-in': { type: 'string' },
  },
});

if (!values.municipality || !/^\d{4}$/.test(values.municipality)) {
  console.error(
    'Usage: npm run -s token -- --municipality <four-digit code> [--role caseworker|coordinator|finance|auditor]',
  );
  process.exit(2);
}
const roles = values.role ?? ['caseworker'];
const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
if (unknown.length > 0) {
  console.error(`Unknown role(s): ${unknown.join(', ')}. Roles: ${ROLES.join(', ')}`);
  process.exit(2);
}
const token = await mintDevToken(process.env.KEYS_DIR ?? DEFAULT_KEYS_DIR, {
  municipality: values.municipality,
  roles,
  unit: values.unit ?? null,
  subject: values.subject,
  expiresIn: values['expires-in'],
});
console.log(token);
