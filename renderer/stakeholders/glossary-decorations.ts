import { Extension } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, type Transaction } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import type * as Y from 'yjs';
import { glossaryMap, readGlossary } from '../../shared/stakeholders/doc';
import { glossaryMatcher, type TermMatcher } from '../../shared/stakeholders/glossary';
import type { GlossaryEntry } from '../../shared/stakeholders/model';
import './stakeholders.css';

export const glossaryDecorationsKey = new PluginKey<DecorationSet>('glossaryDecorations');

/** Inline atoms (links, hard breaks) count as one character, so text offsets map onto positions. */
const LEAF = '\ufffc';

/** Decorations for the glossary terms in one textblock starting at `pos` (code blocks are skipped). */
function blockDecorations(block: PMNode, pos: number, matcher: TermMatcher<GlossaryEntry>): Decoration[] {
  if (block.type.spec.code) return [];
  const text = block.textBetween(0, block.content.size, undefined, LEAF);
  return matcher.find(text).map((m) =>
    Decoration.inline(pos + 1 + m.start, pos + 1 + m.end, {
      class: 'glossary-term',
      title: `${m.item.term}: ${m.item.meaning || 'no definition yet'}`,
    }),
  );
}

function allDecorations(doc: PMNode, matcher: TermMatcher<GlossaryEntry>): DecorationSet {
  const decorations: Decoration[] = [];
  doc.descendants((node, pos) => {
    if (!node.isTextblock) return true;
    decorations.push(...blockDecorations(node, pos, matcher));
    return false;
  });
  return DecorationSet.create(doc, decorations);
}

/** The textblocks a transaction touched (in the new document): only these are matched again. */
function touchedBlocks(tr: Transaction): Array<{ node: PMNode; pos: number }> {
  const blocks = new Map<number, PMNode>();
  tr.mapping.maps.forEach((map, index) => {
    map.forEach((_oldStart, _oldEnd, newStart, newEnd) => {
      // Positions of this step, carried to the final document.
      const rest = tr.mapping.slice(index + 1);
      const from = Math.max(0, Math.min(rest.map(newStart, -1), tr.doc.content.size));
      const to = Math.max(from, Math.min(rest.map(newEnd, 1), tr.doc.content.size));
      tr.doc.nodesBetween(from, to, (node, pos) => {
        if (!node.isTextblock) return true;
        blocks.set(pos, node);
        return false;
      });
    });
  });
  return [...blocks].map(([pos, node]) => ({ pos, node }));
}

/**
 * Underlines the engagement glossary's terms in a note and shows their definition on hover (a
 * `title`, so it needs no script and no DOM of its own). It reads the glossary from the
 * engagement's replica and follows its changes; while typing, only the edited paragraphs are
 * matched again, so a long note stays fast.
 */
export function glossaryDecorations(engagementDoc: Y.Doc): Extension {
  return Extension.create({
    name: 'glossaryDecorations',
    addProseMirrorPlugins: () => [glossaryPlugin(engagementDoc)],
  });
}

/** The ProseMirror plugin behind `glossaryDecorations`. */
export function glossaryPlugin(engagementDoc: Y.Doc): Plugin<DecorationSet> {
  let matcher = glossaryMatcher(readGlossary(engagementDoc).entries);
  return new Plugin<DecorationSet>({
    key: glossaryDecorationsKey,
    state: {
      init: (_config, state) => allDecorations(state.doc, matcher),
      apply: (tr, set) => {
        if (tr.getMeta(glossaryDecorationsKey) === 'refresh') {
          matcher = glossaryMatcher(readGlossary(engagementDoc).entries);
          return allDecorations(tr.doc, matcher);
        }
        if (!tr.docChanged) return set;
        let next = set.map(tr.mapping, tr.doc);
        for (const { node, pos } of touchedBlocks(tr)) {
          next = next.remove(next.find(pos, pos + node.nodeSize));
          next = next.add(tr.doc, blockDecorations(node, pos, matcher));
        }
        return next;
      },
    },
    props: {
      decorations: (state) => glossaryDecorationsKey.getState(state),
    },
    view: (view) => {
      const onChange = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>) => {
        if (!events.length) return;
        if (!view.isDestroyed) view.dispatch(view.state.tr.setMeta(glossaryDecorationsKey, 'refresh').setMeta('addToHistory', false));
      };
      const glossary = glossaryMap(engagementDoc);
      glossary.observeDeep(onChange);
      return { destroy: () => glossary.unobserveDeep(onChange) };
    },
  });
}

/** Glossary terms for the `[[` popup of notes: those whose term or other spelling contains the query. */
export function glossaryCandidates(
  engagementDoc: Y.Doc,
  query: string,
  limit = 5,
): Array<{ id: string; title: string; detail: string; kind: 'term' }> {
  const wanted = query.trim().toLocaleLowerCase();
  if (!wanted) return [];
  return readGlossary(engagementDoc)
    .entries.filter((e) => [e.term, ...e.aliases].some((s) => s.toLocaleLowerCase().includes(wanted)))
    .slice(0, limit)
    .map((e) => ({
      id: e.id,
      title: e.term,
      detail: `glossary · ${e.meaning.slice(0, 60)}${e.meaning.length > 60 ? '…' : ''}`,
      kind: 'term' as const,
    }));
}
