import { Extension } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { OutpostError } from '../../shared/errors';
import type { ApiClient } from '../api/client';

/**
 * Opens a link of a note outside the app, on purpose only: the user Ctrl/Cmd-clicks it (a plain
 * click edits, as in any editor). The notebook refuses in offline mode (its default); otherwise
 * the desktop app's main process asks, naming the host, and in browser mode this page asks.
 * Resolves with a sentence to show the user, or null when there is nothing to say.
 */
export async function openExternalLink(api: ApiClient, url: string): Promise<string | null> {
  try {
    const result = await api.call('links.openExternal', { url });
    if (result.outcome !== 'confirm-in-page') return null;
    if (!window.confirm(`${result.message}\n\n${result.detail}`)) return null;
    window.open(url, '_blank', 'noopener,noreferrer');
    return null;
  } catch (error) {
    return error instanceof OutpostError || error instanceof Error ? error.message : String(error);
  }
}

/** Ctrl/Cmd+click on a link of the editor calls `open` with its address (and nothing else does). */
export function externalLinkClicks(open: (href: string) => void) {
  return Extension.create({
    name: 'externalLinkClicks',
    addProseMirrorPlugins() {
      return [
        new Plugin({
          key: new PluginKey('externalLinkClicks'),
          props: {
            handleClick: (view, pos, event) => {
              if (!(event.ctrlKey || event.metaKey) || event.button !== 0) return false;
              const link = view.state.schema.marks.link;
              const mark =
                link &&
                view.state.doc
                  .resolve(pos)
                  .marks()
                  .find((m) => m.type === link);
              const href = mark?.attrs.href;
              if (typeof href !== 'string' || !href) return false;
              event.preventDefault();
              open(href);
              return true;
            },
          },
        }),
      ];
    },
  });
}
