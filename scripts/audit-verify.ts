// npm run audit:verify -- --municipality 0180 [--url http://127.0.0.1:4101]
// Verifies a city's disclosure log hash chain through its internal API, as an
// auditor of that city, and names the first broken entry. Exit code 1 when broken.
import { parseArgs } from 'node:util';
import { mintDevToken } from '../gateway/auth/devIssuer';
import { DEFAULT_KEYS_DIR } from '../schema/contract/identity';
import { readNetwork } from '../schema/contract/network';

const { values } = parseArgs({
  options: { municipality: { type: 'string', short: 'm' }, url: { type: 'string' } },
});
const code = values.municipality;
if (!code || !/^\d{4}$/.test(code)) {
  console.error('Usage: npm run audit:verify -- --municipality <four-digit code> [--url <city base URL>]');
  process.exit(2);
}
const base =
  values.url ?? readNetwork(process.env.NETWORK_FILE).municipalities.find((m) => m.code === code)?.url;
if (!base) {
  console.error(`Municipality ${code} is not in the network; pass --url`);
  process.exit(2);
}
// The local dev issuer stands in for the city's identity provider here.
const token = await mintDevToken(process.env.KEYS_DIR ?? DEFAULT_KEYS_DIR, {
  municipality: code,
  roles: ['auditor'],
  subject: 'audit-verify',
});
const response = await fetch(`${base.replace(/\/$/, '')}/internal/graphql`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
  body: JSON.stringify({
    query: '{ disclosureLogVerification { ok checked firstBrokenSequence anchor { sequence hash } } }',
  }),
});
const body = (await response.json()) as {
  data?: {
    disclosureLogVerification: {
      ok: boolean;
      checked: number;
      firstBrokenSequence: number | null;
      anchor: { sequence: number; hash: string } | null;
    };
  };
  errors?: { message: string }[];
};
const result = body.data?.disclosureLogVerification;
if (!result) {
  console.error(
    `Could not verify: ${body.errors?.map((e) => e.message).join('; ') ?? `HTTP ${response.status}`}`,
  );
  process.exit(2);
}
if (result.ok) {
  const anchor = result.anchor ? `anchor #${result.anchor.sequence} ${result.anchor.hash}` : 'empty log';
  console.log(`Disclosure log of ${code} is intact: ${result.checked} entries, ${anchor}`);
} else {
  console.log(
    `Disclosure log of ${code} is BROKEN at entry #${result.firstBrokenSequence} (${result.checked} entries)`,
  );
  process.exit(1);
}
