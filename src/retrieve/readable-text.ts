/**
 * Stored Markdown text keeps its syntax (offsets must point into the file), but a snippet or a
 * quote reads better without heading markers: `## Findings The x-ray…` becomes `Findings The…`.
 */
export function readableText(text: string): string {
  return text
    .replace(/^[ \t]{0,3}#{1,6}[ \t]+/gm, '')
    .replace(/\s+/g, ' ')
    .trim();
}
