/** New notes as `NoteService.createMany` hands them to the worker. */
export function notesToBuild() {
  return Array.from({ length: 20 }, (_, i) => {
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    return {
      docId: `note:${id}`,
      init: {
        id,
        engagementId: '00000000-0000-4000-8000-000000000000',
        title: `Pump ${i}`,
        type: 'incident' as const,
        classification: 'UNCLASSIFIED',
        tags: [],
        pinned: false,
        createdAt: '2026-12-04T00:00:00.000Z',
        authorId: 'device',
        authorName: 'laptop',
      },
      body: { markdown: 'pressure dropped\n\n```\nORA-12170: TNS:Connect timeout occurred\n```\n' },
    };
  });
}
