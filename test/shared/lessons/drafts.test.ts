import { describe, expect, it } from 'vitest';
import { newId } from '../../../shared/ids';
import { draftFromCard, draftFromNote, lessonTextsFromMarkdown, markdownSections } from '../../../shared/lessons/drafts';
import { lessonCreateSchema } from '../../../shared/lessons/model';
import { noteJSONToMarkdown } from '../../../shared/notes/markdown';
import { noteTemplate } from '../../../shared/notes/templates';

describe('lesson drafts', () => {
  it('maps an incident note written from the template onto the lesson, dropping the prompts nobody filled in', () => {
    const template = noteJSONToMarkdown(noteTemplate('incident'));
    expect(template).toContain('What fails, for whom, since when.');
    const filled = template
      .replace('What fails, for whom, since when. Paste the error.', 'Scanners log out every ten minutes on the dock.')
      .replace(/## Root cause\n+/, '## Root cause\n\nThe proxy drops idle sessions after 600 s.\n\n')
      .replace(/## Resolution\n+/, '## Resolution\n\nRaised the proxy idle timeout to one hour.\n\n');
    const meta = { id: newId(), engagementId: newId(), title: 'Scanner sessions drop', type: 'incident' as const, tags: ['scanners'] };
    const draft = draftFromNote(meta, filled);
    expect(draft).toMatchObject({
      title: 'Lesson: Scanner sessions drop',
      skillArea: 'Production debugging',
      whatHappened: 'Scanners log out every ten minutes on the dock.',
      rootCause: 'The proxy drops idle sessions after 600 s.',
      whatWorked: 'Raised the proxy idle timeout to one hour.',
      context: '',
      whatDidNot: '',
      recommendation: '',
      tags: ['scanners'],
      source: { kind: 'note', id: meta.id },
    });
    expect(draft.evidence).toEqual([{ kind: 'note', engagementId: meta.engagementId, id: meta.id, label: 'Scanner sessions drop' }]);
    expect(lessonCreateSchema.safeParse(draft).success).toBe(true);
  });

  it('puts text under unknown headings, or none, into "what happened", and ignores headings inside code', () => {
    const texts = lessonTextsFromMarkdown(
      'Opening words.\n\n## Recommendation:\nDo X.\n\n## Weather\nRainy.\n\n```\n# not a heading\n```\n',
    );
    expect(texts.whatHappened).toBe('Opening words.\n\nWeather:\nRainy.\n\n```\n# not a heading\n```');
    expect(texts.recommendation).toBe('Do X.');
    expect(markdownSections('## Weather\nRainy.\n```\n# not a heading\n```').map((s) => s.heading)).toEqual(['Weather']);
  });

  it('drafts from a translation card: delivered renderings first, asks as the recommendation', () => {
    const engagementId = newId();
    const card = {
      id: newId(),
      title: 'Picks are late',
      finding: 'The ERP export runs an hour late.',
      evidence: [newId()],
      systems: ['ERP'],
      renderings: [
        { audience: null, audienceLabel: 'IT', status: 'draft', explanation: 'Cron offset.', ask: '', deliveredVia: '' },
        {
          audience: null,
          audienceLabel: 'Ops director',
          status: 'delivered',
          explanation: 'Picks show late.',
          ask: 'Approve the change.',
          deliveredVia: 'email',
        },
      ],
    } as unknown as Parameters<typeof draftFromCard>[1];
    const draft = draftFromCard(engagementId, card);
    expect(draft.whatWorked).toBe('Ops director (delivered via email): Picks show late.\n\nIT (draft): Cron offset.');
    expect(draft.recommendation).toBe('Ops director: Approve the change.');
    expect(draft.evidence?.map((e) => e.kind)).toEqual(['card', 'note']);
    expect(lessonCreateSchema.safeParse(draft).success).toBe(true);
  });
});
