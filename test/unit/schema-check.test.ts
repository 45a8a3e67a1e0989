// The public schema is published as the gateway serves it, and a breaking
// change against the released schema is caught unless a release note names it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  compareSchemas,
  PUBLIC_SCHEMA_FILE,
  publicSchema,
  RELEASE_NOTES_FILE,
  RELEASED_SCHEMA_FILE,
  unreleasedNotes,
} from '../../scripts/schema/public';

const current = publicSchema();
const released = readFileSync(RELEASED_SCHEMA_FILE, 'utf8');
const notes = readFileSync(RELEASE_NOTES_FILE, 'utf8');

describe('the public schema', () => {
  it('is published as the gateway serves it, without hidden fields', () => {
    expect(readFileSync(PUBLIC_SCHEMA_FILE, 'utf8'), 'run npm run schema:publish').toBe(current);
    expect(current).toContain('type Query');
    expect(current).not.toMatch(/assignmentCounterparts|@inaccessible|join__/);
  });

  it('has no breaking change against the released schema that the release notes do not name', async () => {
    const report = await compareSchemas(released, current, notes);
    expect(report.unnoted.map((change) => change.message)).toEqual([]);
  });

  it('catches a breaking change made on purpose, and lets it through once noted', async () => {
    // Renamed: clients asking for the old name break.
    const broken = current.replace(/^ {2}networkBalance:/m, '  networkBalances:');
    expect(broken).not.toBe(current);

    const refused = await compareSchemas(released, broken, notes);
    expect(refused.breaking.map((c) => c.path)).toEqual(['Query.networkBalance']);
    expect(refused.unnoted.map((c) => c.path)).toEqual(['Query.networkBalance']);

    const noted = notes.replace(
      /## Unreleased\n\n.*\n/,
      '## Unreleased\n\n- `Query.networkBalance` is removed: read evaluationReport instead.\n',
    );
    expect(unreleasedNotes(noted)).toContain('`Query.networkBalance`');
    expect((await compareSchemas(released, broken, noted)).unnoted).toEqual([]);
  });

  it('tells dangerous and safe changes apart from breaking ones', async () => {
    const added = current.replace(/^type Query \{\n/m, 'type Query {\n  ping: String\n');
    const report = await compareSchemas(released, added, notes);
    expect(report.breaking).toEqual([]);
    expect(report.safe.map((c) => c.path)).toContain('Query.ping');
  });
});
