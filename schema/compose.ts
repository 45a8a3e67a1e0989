import { readFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { AGREED_FIELDS_FILE, SUBGRAPHS, subgraphSdl, type SubgraphName } from './files';

export interface CompositionResult {
  supergraphSdl?: string;
  errors: string[];
}

/** The agreed field set: `Type.field` entries and bare scalar / enum names. */
export function agreedFields(text = readFileSync(AGREED_FIELDS_FILE, 'utf8')): Set<string> {
  return new Set(
    text
      .split('\n')
      .map((line) => line.replace(/#.*/, '').trim())
      .filter(Boolean),
  );
}

/** Everything a federated schema exposes that is not in the agreed field set. */
export function fieldsOutsideAgreement(name: string, sdl: string, agreed: Set<string>): string[] {
  const outside: string[] = [];
  for (const definition of parse(sdl).definitions) {
    if (!('name' in definition) || !definition.name) continue;
    const type = definition.name.value;
    if ('fields' in definition && definition.fields) {
      for (const field of definition.fields) {
        const entry = `${type}.${field.name.value}`;
        if (!agreed.has(entry)) outside.push(`${entry} (in ${name}) is not in the agreed field set`);
      }
    } else if (!agreed.has(type)) {
      outside.push(`${type} (in ${name}) is not in the agreed field set`);
    }
  }
  return outside;
}

/**
 * Composes the role schemas into the supergraph. `overrides` replaces a
 * subgraph's SDL (tests use it to prove a bad schema is refused).
 */
export function composeSupergraph(overrides: Partial<Record<SubgraphName, string>> = {}): CompositionResult {
  const sdls = SUBGRAPHS.map((name) => ({ name, sdl: overrides[name] ?? subgraphSdl(name) }));
  const agreed = agreedFields();
  const outside = sdls.flatMap(({ name, sdl }) => fieldsOutsideAgreement(name, sdl, agreed));
  if (outside.length > 0) return { errors: outside };
  const result = composeServices(
    sdls.map(({ name, sdl }) => ({
      name,
      // The gateway routes each role to the cities itself; this URL is a label.
      url: `shards://${name}`,
      typeDefs: parse(sdl),
    })),
  );
  if (result.errors) return { errors: result.errors.map((e) => e.message) };
  return { supergraphSdl: `${result.supergraphSdl.trimEnd()}\n`, errors: [] };
}
