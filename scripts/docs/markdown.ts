// Markdown pieces for the generated parts of docs/: tables, and the sections
// between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`.

/** Inline code; backticks inside become a longer fence. */
export const code = (text: string) => (text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``);

/** A table cell: one line, pipes escaped. */
const cell = (text: string) => text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');

/** A table; the columns whose index is in `right` are aligned right (numbers). */
export function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  right: readonly number[] = [],
): string {
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
  const rule = header.map((_, i) => (right.includes(i) ? '--:' : '---'));
  return [line(header), line(rule), ...rows.map(line)].join('\n');
}

export const startMarker = (name: string) => `<!-- generated:${name} -->`;
export const endMarker = (name: string) => `<!-- /generated:${name} -->`;

/** The names of the generated sections a document holds, in order. */
export function sectionNames(document: string): string[] {
  return [...document.matchAll(/<!-- generated:([a-z0-9-]+) -->/g)].map((m) => m[1]!);
}

/** The document with the section's content replaced; the markers must be there, once each. */
export function replaceSection(document: string, name: string, content: string): string {
  const start = startMarker(name);
  const end = endMarker(name);
  const from = document.indexOf(start);
  const to = document.indexOf(end);
  if (from < 0 || to < from || document.indexOf(start, from + 1) >= 0) {
    throw new Error(`Expected one ${start} … ${end} pair`);
  }
  return `${document.slice(0, from + start.length)}\n\n${content.trim()}\n\n${document.slice(to)}`;
}
