/** Text from fields, made safe for the formats Outpost writes: shown as the same text, never run as markup. */

/** Escapes text for HTML content and attribute values: nothing a field holds is ever markup. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/**
 * Escapes text for Markdown so it renders as the same text: inline markup characters are
 * backslash-escaped, `&`, `<` and `>` become entities (no raw HTML, no quote), and a line that would
 * start a heading or list is defused.
 */
export function escapeMarkdown(value: string): string {
  return value
    .replace(/[\\`*_{}[\]#|~!]/g, '\\$&')
    .replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c] as string)
    .split('\n')
    .map((line) =>
      line.replace(/^(\s*)([-+=]|\d+[.)])(?=\s|$)/, (_m, space: string, mark: string) => `${space}${mark.replace(/[-+=.)]/, '\\$&')}`),
    )
    .join('\n');
}
