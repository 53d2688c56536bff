import { Extension } from '@tiptap/core';
import { PluginKey } from '@tiptap/pm/state';
import Suggestion, { type SuggestionKeyDownProps, type SuggestionProps } from '@tiptap/suggestion';

export interface LinkCandidate {
  id: string;
  title: string;
  detail: string;
  /** A note (the default), a system of the engagement's map, or a glossary term (inserted as its text, then underlined with its definition). */
  kind?: 'note' | 'system' | 'term';
}

export interface LinkSuggestionHandlers {
  items(query: string): Promise<LinkCandidate[]>;
  /** The popup's state: shown with items and a command to pick one, or null when closed. */
  onState(state: SuggestionProps<LinkCandidate, LinkCandidate> | null): void;
  onKeyDown(event: KeyboardEvent): boolean;
}

/** Typing `[[` opens a list of notes and map systems; picking one inserts a link to it by id. */
export function noteLinkSuggestion(handlers: LinkSuggestionHandlers) {
  return Extension.create({
    name: 'noteLinkSuggestion',
    addProseMirrorPlugins() {
      return [
        Suggestion<LinkCandidate, LinkCandidate>({
          editor: this.editor,
          pluginKey: new PluginKey('noteLinkSuggestion'),
          char: '[[',
          allowSpaces: true,
          allowedPrefixes: null,
          items: ({ query }) => handlers.items(query),
          command: ({ editor, range, props }) => {
            editor
              .chain()
              .focus()
              .insertContentAt(
                range,
                props.kind === 'term'
                  ? [{ type: 'text', text: `${props.title} ` }]
                  : [
                      { type: 'noteLink', attrs: { id: props.id, label: props.title, kind: props.kind ?? 'note' } },
                      { type: 'text', text: ' ' },
                    ],
              )
              .run();
          },
          render: () => ({
            onStart: (props) => handlers.onState(props),
            onUpdate: (props) => handlers.onState(props),
            onExit: () => handlers.onState(null),
            onKeyDown: ({ event }: SuggestionKeyDownProps) => handlers.onKeyDown(event),
          }),
        }),
      ];
    },
  });
}
