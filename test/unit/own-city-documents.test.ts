// The own-city route forwards only the logs' reads: every operation of the
// auditor manifest is checked when the gateway loads it, so a build that
// added a read of case records (or a change) would not start.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'graphql';
import { afterAll, describe, expect, it } from 'vitest';
import { AUDIT_DOCUMENTS_FILE, readAuditDocuments, refusalOf } from '../../gateway/audit/auditDocuments';

const dir = mkdtempSync(join(tmpdir(), 'avhoppare-audit-docs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const manifestOf = (...texts: string[]) =>
  writeFileSync(
    join(dir, AUDIT_DOCUMENTS_FILE),
    JSON.stringify(Object.fromEntries(texts.map((text) => [sha256(text), text]))),
  );

describe('the auditor operations the own-city route forwards', () => {
  it('are the app’s built log reads, each by its SHA-256', () => {
    const built = JSON.parse(readFileSync('web/src/audit/gql/persisted-documents.json', 'utf8')) as Record<
      string,
      string
    >;
    expect(Object.keys(built).length).toBeGreaterThanOrEqual(3);
    for (const [hash, text] of Object.entries(built)) {
      expect(sha256(text)).toBe(hash);
      expect(refusalOf(parse(text)), text).toBeUndefined();
    }
  });

  it('refuse a read of case records, a change, a subscription or a fragment at the root', () => {
    expect(refusalOf(parse('{ disclosureLog { sequence } cases { personName } }'))).toBe(
      'selects Query.cases',
    );
    expect(refusalOf(parse('mutation { closeCase(caseId: "x") { id } }'))).toBe('is a mutation');
    expect(refusalOf(parse('subscription { disclosureLog { sequence } }'))).toBe('is a subscription');
    expect(refusalOf(parse('query { ...Rest } fragment Rest on Query { cases { id } }'))).toBe(
      'selects a fragment at its root',
    );
    expect(refusalOf(parse('query { ... on Query { case(id: "x") { id } } }'))).toBe(
      'selects a fragment at its root',
    );
  });

  it('stop the gateway from loading a manifest that holds anything else', () => {
    const log = 'query Log { disclosureLog(first: 10) { sequence } }';
    manifestOf(log);
    expect([...readAuditDocuments(dir).keys()]).toEqual([sha256(log)]);
    manifestOf(log, 'query Cases { cases { personalIdentityNumber } }');
    expect(() => readAuditDocuments(dir)).toThrow(/selects Query\.cases; only the logs may be read/);
  });

  it('are none when the app is not built', () => {
    expect(readAuditDocuments(join(dir, 'missing')).size).toBe(0);
  });
});
