// A process started before `npm run generate` says so in one sentence.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { missingGeneratedCode } from '../../runtime/generatedCode';

describe('generated code', () => {
  it('is all there after npm install', () => {
    expect(missingGeneratedCode()).toEqual([]);
  });

  it('names each generated folder that is missing', () => {
    const empty = mkdtempSync(join(tmpdir(), 'no-generated-'));
    expect(missingGeneratedCode(empty)).toEqual([
      'subgraphs/db/generated/',
      'subgraphs/generated/',
      'gateway/generated/',
    ]);
  });
});
