// npm run check:consistency [-- --token 0180=<token> ...]
// Asks each city, through its internal API as an auditor, to compare what it
// shares with every other city, and prints for each pair how many assignments
// agree, how many are still catching up and which differ (ids and the facts
// that differ, nothing about people). Exit code 1 when a pair differs.
// Without a token for a city, the demo network's dev issuer stands in (never
// in production, where each city's own identity provider must issue it).
import { parseArgs } from 'node:util';
import { mintDevToken } from '../gateway/auth/devIssuer';
import { readNetwork } from '../schema/contract/network';
import { readScriptEnvironment, toolEnvironment } from './environment';

const { values } = parseArgs({ options: { token: { type: 'string', multiple: true } } });
const { KEYS_DIR: keysDir, NETWORK_FILE: networkFile, NODE_ENV } = readScriptEnvironment(toolEnvironment);
const given = new Map(
  (values.token ?? []).map((pair) => {
    const [code, token] = pair.split('=', 2);
    if (!code || !token || !/^\d{4}$/.test(code)) {
      console.error('Usage: npm run check:consistency -- [--token <code>=<auditor token> ...]');
      process.exit(2);
    }
    return [code, token] as const;
  }),
);
const production = NODE_ENV === 'production';

interface PairConsistency {
  counterparty: string;
  agreeing: number;
  catchingUp: number;
  differences: { assignmentId: string; fields: string[] }[];
  error: string | null;
}

async function tokenFor(code: string): Promise<string> {
  const token = given.get(code);
  if (token) return token;
  if (production) {
    console.error(`No auditor token for ${code}: pass --token ${code}=<token> from its identity provider`);
    process.exit(2);
  }
  return mintDevToken(keysDir, {
    municipality: code,
    permissions: ['auditor'],
    subject: 'check-consistency',
  });
}

const network = readNetwork(networkFile);
const reports = new Map<string, PairConsistency[]>();
for (const { code, url } of network.municipalities) {
  try {
    const response = await fetch(`${url.replace(/\/$/, '')}/internal/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(code)}` },
      body: JSON.stringify({
        query:
          '{ consistency { counterparty agreeing catchingUp differences { assignmentId fields } error } }',
      }),
    });
    const body = (await response.json()) as {
      data?: { consistency: PairConsistency[] };
      errors?: { message: string }[];
    };
    if (!body.data)
      throw new Error(body.errors?.map((e) => e.message).join('; ') ?? `HTTP ${response.status}`);
    reports.set(code, body.data.consistency);
  } catch (error) {
    console.log(`${code}: could not ask (${error instanceof Error ? error.message : String(error)})`);
  }
}

let differing = false;
const codes = network.municipalities.map((m) => m.code).sort();
for (const a of codes) {
  for (const b of codes.filter((code) => code > a)) {
    const seen =
      reports.get(a)?.find((r) => r.counterparty === b) ?? reports.get(b)?.find((r) => r.counterparty === a);
    if (!seen) {
      console.log(`${a} ↔ ${b}: not compared (neither city answered)`);
      continue;
    }
    if (seen.error) {
      console.log(`${a} ↔ ${b}: not compared (${seen.error})`);
      continue;
    }
    const line = `${a} ↔ ${b}: ${seen.agreeing} agree, ${seen.catchingUp} catching up, ${seen.differences.length} differ`;
    console.log(line);
    for (const d of seen.differences) console.log(`    ${d.assignmentId}: ${d.fields.join(', ')}`);
    if (seen.differences.length > 0) differing = true;
  }
}
process.exit(differing ? 1 : 0);
