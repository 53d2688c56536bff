import CodeBlockLowlight from '@tiptap/extension-code-block-lowlight';
import type { Node as PMNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, type Transaction } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import type { createLowlight } from 'lowlight';

type Lowlight = ReturnType<typeof createLowlight>;
/** One highlighted run of a code block's text: offset, length, classes. */
type Token = [number, number, string];

interface HastNode {
  type: string;
  value?: string;
  properties?: { className?: string[] };
  children?: HastNode[];
}

interface HighlightState {
  decorations: DecorationSet;
  /** False until the first pass over the whole document has run (after the first paint). */
  ready: boolean;
}

const key = new PluginKey<HighlightState>('noteCodeHighlight');
const HIGHLIGHT_ALL = 'highlight-all';

/**
 * Highlighted tokens by language and text. Highlighting is the costly part (auto-detection tries
 * every language), and a keystroke in one code block leaves every other block's text as it was.
 */
const cache = new Map<string, Token[]>();
const CACHE_MAX_CHARS = 4_000_000;
let cachedChars = 0;

function tokensOf(lowlight: Lowlight, language: string | null, text: string): Token[] {
  const id = `${language ?? ''}\u0000${text}`;
  const hit = cache.get(id);
  if (hit) {
    // Most recently used last, so the oldest entries are the ones dropped.
    cache.delete(id);
    cache.set(id, hit);
    return hit;
  }
  // A log block (`log:java-trace`) is shown as it was pasted: no grammar fits it, and guessing one
  // over thousands of lines would cost more than the rest of the note.
  if (language?.startsWith('log:')) return [];
  const known = language !== null && (lowlight.listLanguages().includes(language) || lowlight.registered(language));
  const tree = known ? lowlight.highlight(language, text) : lowlight.highlightAuto(text);
  const tokens: Token[] = [];
  let offset = 0;
  const walk = (nodes: HastNode[], classes: string[]) => {
    for (const node of nodes) {
      const mine = node.properties?.className?.length ? [...classes, ...node.properties.className] : classes;
      if (node.children) walk(node.children, mine);
      else {
        const length = node.value?.length ?? 0;
        if (mine.length && length) tokens.push([offset, length, mine.join(' ')]);
        offset += length;
      }
    }
  };
  walk(tree.children as HastNode[], []);
  cache.set(id, tokens);
  cachedChars += id.length;
  for (const [oldest] of cache) {
    if (cachedChars <= CACHE_MAX_CHARS) break;
    cache.delete(oldest);
    cachedChars -= oldest.length;
  }
  return tokens;
}

interface Options {
  name: string;
  lowlight: Lowlight;
  defaultLanguage: string | null;
}

function blockDecorations(options: Options, node: PMNode, pos: number): Decoration[] {
  const language = (node.attrs.language as string | null) || options.defaultLanguage;
  return tokensOf(options.lowlight, language, node.textContent).map(([offset, length, classes]) =>
    Decoration.inline(pos + 1 + offset, pos + 1 + offset + length, { class: classes }),
  );
}

function allDecorations(options: Options, doc: PMNode): DecorationSet {
  const decorations: Decoration[] = [];
  doc.descendants((node, pos) => {
    if (node.type.name === options.name) decorations.push(...blockDecorations(options, node, pos));
    return !node.isTextblock;
  });
  return DecorationSet.create(doc, decorations);
}

/**
 * The textblocks a transaction touched (in its new document), or 'all' when that is unclear. Not
 * only code blocks: text that was in a code block can end up in a paragraph, and loses its colours.
 */
function touchedBlocks(tr: Transaction): Map<number, PMNode> | 'all' {
  const blocks = new Map<number, PMNode>();
  const { doc, mapping } = tr;
  for (let i = 0; i < tr.steps.length; i++) {
    const ranges: Array<[number, number]> = [];
    mapping.maps[i]?.forEach((_oldStart, _oldEnd, newStart, newEnd) => {
      ranges.push([newStart, newEnd]);
    });
    if (!ranges.length) {
      // Steps that move no content (attributes, marks) still change what they cover.
      const step = tr.steps[i] as unknown as { from?: number; to?: number; pos?: number };
      if (typeof step.pos === 'number') ranges.push([step.pos, step.pos + 1]);
      else if (typeof step.from === 'number' && typeof step.to === 'number') ranges.push([step.from, step.to]);
      else return 'all';
    }
    const rest = mapping.slice(i + 1);
    for (const [start, end] of ranges) {
      const from = Math.max(0, rest.map(start, -1) - 1);
      const to = Math.min(doc.content.size, rest.map(end, 1) + 1);
      doc.nodesBetween(from, to, (node, pos) => {
        if (!node.isTextblock) return true;
        blocks.set(pos, node);
        return false;
      });
    }
  }
  return blocks;
}

/**
 * Syntax highlighting for code blocks, as @tiptap/extension-code-block-lowlight's plugin does
 * (same classes, same language rules), with two differences that matter for long notes:
 * - the first pass runs after the note is on screen, not while it opens (code blocks show
 *   unhighlighted for a frame);
 * - after that, an edit re-highlights only the code blocks it touched, where the original
 *   plugin highlighted every code block of the note again on each keystroke in any of them.
 */
export function codeHighlightPlugin(options: Options): Plugin<HighlightState> {
  return new Plugin<HighlightState>({
    key,
    state: {
      init: () => ({ decorations: DecorationSet.empty, ready: false }),
      apply: (tr, value) => {
        if (tr.getMeta(key) === HIGHLIGHT_ALL) return { decorations: allDecorations(options, tr.doc), ready: true };
        if (!tr.docChanged || !value.ready) return value;
        const touched = touchedBlocks(tr);
        if (touched === 'all') return { decorations: allDecorations(options, tr.doc), ready: true };
        let decorations = value.decorations.map(tr.mapping, tr.doc);
        for (const [pos, node] of touched) {
          decorations = decorations.remove(decorations.find(pos, pos + node.nodeSize));
          if (node.type.name === options.name) decorations = decorations.add(tr.doc, blockDecorations(options, node, pos));
        }
        return { decorations, ready: true };
      },
    },
    props: {
      decorations: (state) => key.getState(state)?.decorations,
    },
    view: (view) => {
      let frame = 0;
      let timer: ReturnType<typeof setTimeout> | undefined;
      // After the next frame is painted: the note shows first, its colours a moment later.
      frame = requestAnimationFrame(() => {
        timer = setTimeout(() => {
          if (!view.isDestroyed && !key.getState(view.state)?.ready) {
            view.dispatch(view.state.tr.setMeta(key, HIGHLIGHT_ALL).setMeta('addToHistory', false));
          }
        }, 0);
      });
      return {
        destroy: () => {
          cancelAnimationFrame(frame);
          clearTimeout(timer);
        },
      };
    },
  });
}

/** The note editor's code block: CodeBlockLowlight with the highlighting plugin above instead of its own. */
export function noteCodeBlock(lowlight: Lowlight) {
  return CodeBlockLowlight.extend({
    addProseMirrorPlugins() {
      const inherited = (this.parent?.() ?? []).filter((plugin) => !(plugin as unknown as { key: string }).key.startsWith('lowlight$'));
      return [
        ...inherited,
        codeHighlightPlugin({
          name: this.name,
          lowlight: this.options.lowlight as Lowlight,
          defaultLanguage: this.options.defaultLanguage ?? null,
        }),
      ];
    },
  }).configure({ lowlight });
}
