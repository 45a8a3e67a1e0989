// npm run audit:verify -- --municipality 0180 [--url https://…] [--token-file auditor.jwt]
// Verifies a city's disclosure log and access log through its internal API,
// as an auditor of that city with a real token (AUDITOR_TOKEN or
// --token-file; never minted here): each hash chain end to end, then every
// checkpoint of the logs the other cities hold. Names the first broken entry,
// or the first checkpoint that no longer matches and which city holds it.
// Exit 0 when everything holds, 1 when something was found, 2 when it could not verify.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Agent, fetch } from 'undici';
import { readNetwork } from '../schema/contract/network';
import { readScriptEnvironment, toolEnvironment } from './environment';

const { values } = parseArgs({
  options: {
    municipality: { type: 'string', short: 'm' },
    url: { type: 'string' },
    'token-file': { type: 'string' },
  },
});
const env = readScriptEnvironment(toolEnvironment);
const code = values.municipality;
const usage =
  'Usage: npm run audit:verify -- --municipality <four-digit code> [--url <city base URL>] [--token-file <file>] (or AUDITOR_TOKEN)';
if (!code || !/^\d{4}$/.test(code)) {
  console.error(usage);
  process.exit(2);
}
const token = values['token-file']
  ? readFileSync(values['token-file'], 'utf8').trim()
  : env.AUDITOR_TOKEN?.trim();
if (!token) {
  console.error(
    `An auditor's token of ${code}'s identity provider is needed: AUDITOR_TOKEN or --token-file.\n${usage}`,
  );
  process.exit(2);
}
const base = values.url ?? readNetwork(env.NETWORK_FILE).municipalities.find((m) => m.code === code)?.url;
if (!base) {
  console.error(`Municipality ${code} is not in the network; pass --url`);
  process.exit(2);
}

interface Chain {
  ok: boolean;
  checked: number;
  firstBrokenSequence: number | null;
  anchor: { sequence: number; hash: string } | null;
}
interface Comparison {
  holder: string;
  log: string;
  checked: number;
  error: string | null;
  firstMismatch: {
    sequence: number;
    hash: string;
    at: string;
    status: string;
    hashHere: string | null;
  } | null;
}

const QUERY = /* GraphQL */ `
  query AuditVerify {
    disclosureLogVerification {
      ok
      checked
      firstBrokenSequence
      anchor {
        sequence
        hash
      }
    }
    caseAccessLogVerification {
      ok
      checked
      firstBrokenSequence
      anchor {
        sequence
        hash
      }
    }
    logCheckpoints {
      holder
      log
      checked
      error
      firstMismatch {
        sequence
        hash
        at
        status
        hashHere
      }
    }
  }
`;

const dispatcher = env.TLS_CA_FILE
  ? new Agent({ connect: { ca: readFileSync(env.TLS_CA_FILE, 'utf8') } })
  : undefined;
let body: {
  data?: { disclosureLogVerification: Chain; caseAccessLogVerification: Chain; logCheckpoints: Comparison[] };
  errors?: { message: string }[];
};
let status = 0;
try {
  const response = await fetch(`${base.replace(/\/$/, '')}/internal/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: QUERY }),
    ...(dispatcher ? { dispatcher } : {}),
  });
  status = response.status;
  body = (await response.json()) as typeof body;
} catch (error) {
  console.error(`Could not verify: ${(error as Error).message}`);
  process.exit(2);
}
if (!body.data) {
  console.error(`Could not verify: ${body.errors?.map((e) => e.message).join('; ') ?? `HTTP ${status}`}`);
  process.exit(2);
}

let found = false;
let incomplete = false;
const chains: [string, Chain][] = [
  ['disclosure', body.data.disclosureLogVerification],
  ['access', body.data.caseAccessLogVerification],
];
for (const [name, chain] of chains) {
  if (chain.ok) {
    const anchor = chain.anchor ? `newest #${chain.anchor.sequence} ${chain.anchor.hash}` : 'empty';
    console.log(`The ${name} log of ${code} holds together: ${chain.checked} entries, ${anchor}`);
  } else {
    found = true;
    console.log(
      `The ${name} log of ${code} is BROKEN at entry #${chain.firstBrokenSequence} (${chain.checked} entries)`,
    );
  }
}
const WHAT: Record<string, string> = {
  DIFFERS: 'the entry there now has another hash: the log was rewritten',
  MISSING: 'the log no longer has that entry: it was cut short or restored from an older backup',
  UNVERIFIED: `it does not carry ${code}'s signature with a key published now`,
};
for (const c of body.data.logCheckpoints) {
  if (c.error) {
    incomplete = true;
    console.log(`Could not ask ${c.holder} for its checkpoints of the ${c.log} log: ${c.error}`);
  } else if (c.firstMismatch) {
    found = true;
    const m = c.firstMismatch;
    console.log(
      `MISMATCH: the checkpoint of the ${c.log} log at entry #${m.sequence} (${m.at}, hash ${m.hash}), held by ${c.holder}, no longer matches: ${WHAT[m.status] ?? m.status}${m.hashHere ? ` (now ${m.hashHere})` : ''}`,
    );
  } else {
    console.log(`${c.holder} holds ${c.checked} checkpoints of the ${c.log} log; every one matches`);
  }
}
await dispatcher?.close();
process.exit(found ? 1 : incomplete ? 2 : 0);
