import { getSchema } from '@tiptap/core';
import { EditorState } from '@tiptap/pm/state';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { glossaryCandidates, glossaryDecorationsKey, glossaryPlugin } from '../../../renderer/stakeholders/glossary-decorations';
import { noteExtensions } from '../../../shared/notes/schema';
import { addGlossaryEntry } from '../../../shared/stakeholders/doc';

const schema = getSchema(noteExtensions());

function setup() {
  const engagement = new Y.Doc();
  addGlossaryEntry(engagement, { term: 'green screen', meaning: 'the AS/400 order entry terminal' });
  addGlossaryEntry(engagement, { term: 'wave', meaning: 'a batch of picks' });
  const doc = schema.node('doc', null, [
    schema.node('paragraph', null, [schema.text('The wave stalled at the green screen.')]),
    schema.node('paragraph', null, [schema.text('Nothing here.')]),
    schema.node('codeBlock', null, [schema.text('wave = 3')]),
  ]);
  const state = EditorState.create({ doc, plugins: [glossaryPlugin(engagement)] });
  return { engagement, state };
}

function terms(state: EditorState) {
  const set = glossaryDecorationsKey.getState(state);
  return (set?.find() ?? []).map((d) => [
    state.doc.textBetween(d.from, d.to),
    (d as unknown as { type: { attrs: { title: string } } }).type.attrs.title,
  ]);
}

describe('glossary terms in notes', () => {
  it('marks terms in text with their definition, not in code blocks', () => {
    const { state } = setup();
    expect(terms(state)).toEqual([
      ['wave', 'wave: a batch of picks'],
      ['green screen', 'green screen: the AS/400 order entry terminal'],
    ]);
  });

  it('follows typing in the edited paragraph and keeps the others', () => {
    const { state } = setup();
    const second = state.doc.child(0).nodeSize;
    const typed = state.apply(state.tr.insertText(' Another wave came.', second + 1 + 'Nothing here.'.length));
    expect(terms(typed).map(([t]) => t)).toEqual(['wave', 'green screen', 'wave']);
    // Breaking a term stops marking it.
    const broken = typed.apply(typed.tr.insertText('x', 1 + 'The wave'.length));
    expect(terms(broken).map(([t]) => t)).toEqual(['green screen', 'wave']);
  });

  it('matches again when asked to refresh (the glossary changed)', () => {
    const { engagement, state } = setup();
    addGlossaryEntry(engagement, { term: 'stalled', meaning: 'stopped' });
    // The plugin's view listens to the glossary and dispatches this refresh; here it is applied directly.
    const refreshed = state.apply(state.tr.setMeta(glossaryDecorationsKey, 'refresh'));
    expect(terms(refreshed).map(([t]) => t)).toEqual(['wave', 'stalled', 'green screen']);
  });

  it('offers glossary terms in the [[ popup by term or other spelling', () => {
    const { engagement } = setup();
    addGlossaryEntry(engagement, { term: 'AS/400', meaning: 'IBM midrange computer', aliases: ['iSeries'] });
    expect(glossaryCandidates(engagement, 'SCREEN').map((c) => [c.title, c.kind])).toEqual([['green screen', 'term']]);
    expect(glossaryCandidates(engagement, 'iser').map((c) => c.title)).toEqual(['AS/400']);
    expect(glossaryCandidates(engagement, ' ')).toEqual([]);
  });
});
