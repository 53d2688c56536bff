import { LessonService } from '../lessons/lesson-service';
import type { Notebook } from '../notebook/notebook';
import type { Handlers } from './handlers';

export type LessonCallName =
  | 'lessons.library'
  | 'lessons.get'
  | 'lessons.similar'
  | 'lessons.merge'
  | 'lessons.draft'
  | 'lessons.retrospective'
  | 'lessons.add'
  | 'lessons.refs'
  | 'playbooks.list'
  | 'playbooks.create';

export function lessonService(notebook: Notebook): LessonService {
  return new LessonService(notebook.db, notebook.docs, notebook.settings, notebook.engagements, notebook.notes);
}

/** The lessons library's calls (shared/lessons/calls.ts). */
export function createLessonHandlers(notebook: Notebook): Pick<Handlers, LessonCallName> {
  const service = lessonService(notebook);
  return {
    'lessons.library': (request) => service.library(request),
    'lessons.get': ({ refs }) => service.get(refs),
    'lessons.similar': ({ ref, threshold, limit }) => service.similar({ ref, threshold, limit }),
    'lessons.merge': ({ survivor, absorbed }) => service.merge(survivor, absorbed),
    'lessons.draft': async ({ source }) => ({ draft: await service.draft(source) }),
    'lessons.retrospective': async ({ engagementId }) => ({ items: await service.retrospective(engagementId) }),
    'lessons.add': ({ engagementId, lesson }) => service.add(engagementId, { ...lesson, author: lesson.author ?? notebook.device.name }),
    'lessons.refs': async ({ engagementId }) => ({ refs: await service.refs(engagementId) }),
    'playbooks.list': async () => ({ playbooks: await service.playbooks() }),
    'playbooks.create': ({ title }) => service.createPlaybook(title),
  };
}
