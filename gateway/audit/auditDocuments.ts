// The operations the own-city route may forward: the web app's auditor
// operations, by the SHA-256 of their text, from the manifest the app's build
// writes (web/dist/audit-documents.json). Each is checked when loaded: a
// query of the logs' root fields only, so no build, however its operations
// change, can make the route read a case record.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, OperationTypeNode, parse, type DocumentNode } from 'graphql';

/** The manifest's name beside the app's own (persisted-documents.json). */
export const AUDIT_DOCUMENTS_FILE = 'audit-documents.json';

/** The internal API's root fields an auditor's operation may select: the logs, never the records. */
export const AUDIT_ROOT_FIELDS: ReadonlySet<string> = new Set([
  'disclosureLog',
  'disclosureLogVerification',
  'caseAccessLog',
  'caseAccessLogVerification',
  'logCheckpoints',
]);

/** Why a document may not be forwarded; undefined when it may. */
export function refusalOf(document: DocumentNode): string | undefined {
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) continue;
    if (definition.kind !== Kind.OPERATION_DEFINITION) return `holds a ${definition.kind}`;
    if (definition.operation !== OperationTypeNode.QUERY) return `is a ${definition.operation}`;
    for (const selection of definition.selectionSet.selections) {
      if (selection.kind !== Kind.FIELD) return 'selects a fragment at its root';
      if (!AUDIT_ROOT_FIELDS.has(selection.name.value)) return `selects Query.${selection.name.value}`;
    }
  }
  return undefined;
}

/** The auditor operations of the built app (SHA-256 → text); none when the app is not built. */
export function readAuditDocuments(dir: string): Map<string, string> {
  const file = join(dir, AUDIT_DOCUMENTS_FILE);
  if (!existsSync(file)) return new Map();
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  for (const [hash, text] of Object.entries(manifest)) {
    const refusal = refusalOf(parse(text));
    if (refusal) throw new Error(`${file}: operation ${hash} ${refusal}; only the logs may be read`);
  }
  return new Map(Object.entries(manifest));
}
