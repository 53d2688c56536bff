/** How an import names one document it merged (the CLI's report and the Sync view's preview). */
export function importedDocLabel(doc: { kind: string; label: string }): string {
  if (doc.kind === 'note') return `note “${doc.label}”`;
  if (doc.kind === 'playbook') return `playbook “${doc.label}”`;
  return `engagement ${doc.label}`;
}
