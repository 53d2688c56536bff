import type { SuggestionProps } from '@tiptap/suggestion';
import { useRef, useState } from 'react';
import type { LinkCandidate } from './note-link-suggestion';

type Popup = SuggestionProps<LinkCandidate, LinkCandidate>;

/**
 * The `[[` popup's state. The suggestion plugin is bound once per editor, so its handlers read the
 * latest popup and selection through a ref rather than a stale closure.
 */
export function useLinkPopup() {
  const [popup, setPopup] = useState<Popup | null>(null);
  const [selected, setSelected] = useState(0);
  const latest = useRef({ popup, selected });
  latest.current = { popup, selected };

  const handlers = useRef({
    onState(state: Popup | null) {
      setPopup(state);
      setSelected(0);
    },
    /** Arrow keys move, Enter or Tab picks, Escape closes; anything else goes to the editor. */
    onKeyDown(event: KeyboardEvent): boolean {
      const { popup: current, selected: index } = latest.current;
      if (!current?.items.length) return false;
      if (event.key === 'ArrowDown') setSelected((index + 1) % current.items.length);
      else if (event.key === 'ArrowUp') setSelected((index - 1 + current.items.length) % current.items.length);
      else if (event.key === 'Enter' || event.key === 'Tab') current.command(current.items[index] as LinkCandidate);
      else if (event.key === 'Escape') setPopup(null);
      else return false;
      return true;
    },
    close() {
      setPopup(null);
    },
  }).current;

  return { popup, selected, ...handlers };
}

/** The list of candidates under the caret while a `[[link` is typed. */
export function LinkPopup({ popup, selected }: { popup: Popup; selected: number }) {
  const rect = popup.clientRect?.();
  return (
    <div className="link-popup" role="listbox" aria-label="Link to a note" style={{ left: rect?.left ?? 0, top: (rect?.bottom ?? 0) + 4 }}>
      {popup.items.length === 0 && <div className="muted">No matching note</div>}
      {popup.items.map((item, index) => (
        <div
          key={item.id}
          role="option"
          tabIndex={-1}
          aria-selected={index === selected}
          className={index === selected ? 'option selected' : 'option'}
          onMouseDown={(e) => {
            e.preventDefault();
            popup.command(item);
          }}
        >
          <span>{item.title}</span> <span className="muted">{item.detail}</span>
        </div>
      ))}
    </div>
  );
}
