import { type Editor, useEditorState } from '@tiptap/react';

/**
 * A button's accessible name holds the text it shows (WCAG 2.5.3, label in name): someone using
 * speech input says what they see ("click H1"), a screen reader says what it does ("Heading 1").
 * Symbols (•, ❝, ↶) are not words anyone would say, and a lone initial (B for Bold) is the word's
 * own start, so those buttons keep the plain name.
 */
function nameWithVisibleText(label: string, text: string): string {
  const shown = text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
  const words = label.toLowerCase().split(/[^\p{L}\p{N}]+/u);
  if (!shown || words.includes(shown) || (shown.length === 1 && words[0]?.startsWith(shown))) return label;
  return `${label}, ${text}`;
}

interface Props {
  editor: Editor;
  onAttach(): void;
}

/** Formatting controls; each is a toggle button with a name and its keyboard shortcut. */
export function EditorToolbar({ editor, onAttach }: Props) {
  const state = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e.isActive('bold'),
      italic: e.isActive('italic'),
      strike: e.isActive('strike'),
      code: e.isActive('code'),
      highlight: e.isActive('highlight'),
      h1: e.isActive('heading', { level: 1 }),
      h2: e.isActive('heading', { level: 2 }),
      h3: e.isActive('heading', { level: 3 }),
      bullet: e.isActive('bulletList'),
      ordered: e.isActive('orderedList'),
      task: e.isActive('taskList'),
      quote: e.isActive('blockquote'),
      codeBlock: e.isActive('codeBlock'),
      link: e.isActive('link'),
      inTable: e.isActive('table'),
    }),
  });

  const chain = () => editor.chain().focus();
  const toggle = (label: string, active: boolean, run: () => void, shortcut?: string, text = label) => (
    <button
      type="button"
      aria-pressed={active}
      aria-label={nameWithVisibleText(label, text)}
      title={shortcut ? `${label} (${shortcut})` : label}
      onClick={run}
      aria-keyshortcuts={shortcut}
    >
      {text}
    </button>
  );
  const action = (label: string, run: () => void, text = label, shortcut?: string) => (
    <button
      type="button"
      aria-label={nameWithVisibleText(label, text)}
      title={shortcut ? `${label} (${shortcut})` : label}
      onClick={run}
      aria-keyshortcuts={shortcut}
    >
      {text}
    </button>
  );

  const setLink = () => {
    if (state.link) {
      chain().unsetLink().run();
      return;
    }
    const href = window.prompt('Link address (https://…)');
    if (href) chain().extendMarkRange('link').setLink({ href }).run();
  };

  return (
    <div className="toolbar" role="toolbar" aria-label="Formatting">
      {toggle('Bold', state.bold, () => chain().toggleBold().run(), 'Control+B', 'B')}
      {toggle('Italic', state.italic, () => chain().toggleItalic().run(), 'Control+I', 'I')}
      {toggle('Strikethrough', state.strike, () => chain().toggleStrike().run(), 'Control+Shift+S', 'S')}
      {toggle('Inline code', state.code, () => chain().toggleCode().run(), 'Control+E', '</>')}
      {toggle('Highlight', state.highlight, () => chain().toggleHighlight().run(), 'Control+Shift+H', 'HL')}
      <span className="sep" />
      {toggle('Heading 1', state.h1, () => chain().toggleHeading({ level: 1 }).run(), 'Control+Alt+1', 'H1')}
      {toggle('Heading 2', state.h2, () => chain().toggleHeading({ level: 2 }).run(), 'Control+Alt+2', 'H2')}
      {toggle('Heading 3', state.h3, () => chain().toggleHeading({ level: 3 }).run(), 'Control+Alt+3', 'H3')}
      <span className="sep" />
      {toggle('Bulleted list', state.bullet, () => chain().toggleBulletList().run(), 'Control+Shift+8', '•')}
      {toggle('Numbered list', state.ordered, () => chain().toggleOrderedList().run(), 'Control+Shift+7', '1.')}
      {toggle('Task list', state.task, () => chain().toggleTaskList().run(), 'Control+Shift+9', '☐')}
      {toggle('Quote', state.quote, () => chain().toggleBlockquote().run(), 'Control+Shift+B', '❝')}
      {toggle('Code block', state.codeBlock, () => chain().toggleCodeBlock().run(), 'Control+Alt+C', '{ }')}
      <span className="sep" />
      {action('Insert table', () => chain().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run(), 'Table')}
      {state.inTable && action('Add row', () => chain().addRowAfter().run(), '+Row')}
      {state.inTable && action('Add column', () => chain().addColumnAfter().run(), '+Col')}
      {state.inTable && action('Delete table', () => chain().deleteTable().run(), '−Table')}
      {action('Horizontal rule', () => chain().setHorizontalRule().run(), '―')}
      {toggle('Link', state.link, setLink, undefined, 'Link')}
      {action('Attach file', onAttach, 'Attach…')}
      <span className="sep" />
      {action('Undo', () => chain().undo().run(), '↶', 'Control+Z')}
      {action('Redo', () => chain().redo().run(), '↷', 'Control+Shift+Z')}
    </div>
  );
}
