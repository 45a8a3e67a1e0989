// The generated parts of docs/ (configuration tables, the permission and error
// tables, the newest bench figures) are what `npm run docs` writes from the
// code today: a schema, a permission or an error code that changes without
// `npm run docs` fails here, so the documentation cannot drift from the code.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIELD_PERMISSIONS } from '../../schema/contract/permissions';
import { rootFields } from '../../scripts/docs/contract';
import { DOCUMENTS, generateDocs, ROOT } from '../../scripts/docs/generate';
import { replaceSection, sectionNames } from '../../scripts/docs/markdown';

describe('generated documentation', () => {
  it('is checked in as npm run docs writes it', async () => {
    const documents = await generateDocs();
    expect([...documents.keys()]).toEqual(Object.keys(DOCUMENTS));
    for (const [file, expected] of documents) {
      const actual = readFileSync(join(ROOT, file), 'utf8');
      expect(actual, `${file} differs from what the code says: run npm run docs`).toBe(expected);
    }
  }, 30_000);

  it('documents every root field that has a permission', () => {
    const served = rootFields(ROOT);
    const unserved = Object.keys(FIELD_PERMISSIONS).filter((field) => !served.has(field));
    expect(unserved).toEqual([]);
  });

  it('replaces only what lies between a section’s markers', () => {
    const document = 'before\n<!-- generated:x -->\nold\n<!-- /generated:x -->\nafter\n';
    expect(sectionNames(document)).toEqual(['x']);
    expect(replaceSection(document, 'x', 'new')).toBe(
      'before\n<!-- generated:x -->\n\nnew\n\n<!-- /generated:x -->\nafter\n',
    );
    expect(() => replaceSection('no markers', 'x', 'new')).toThrow(/generated:x/);
  });
});
