import { useEffect } from 'react';
import type { RefObject } from 'react';
import type { Conversation } from '../../api/types';
import type { ListFilter } from '../../lib/filters';
import { useLatest } from '../../lib/hooks';
import type { Route } from '../../lib/router';
import { isEditableTarget, neighbourId, shortcutFor } from '../../lib/shortcuts';
import type { ConversationViewHandle } from '../ConversationView';

interface Targets {
  items: Conversation[];
  activeId: string | null;
  filter: ListFilter;
  navigate: (route: Route) => void;
  view: RefObject<ConversationViewHandle | null>;
  search: RefObject<HTMLInputElement | null>;
  showHelp: () => void;
  closeNav: () => void;
}

/** The single-key shortcuts (`j`, `k`, `r`, `e`, …; see lib/shortcuts.ts) for the whole app. */
export function useShortcuts(targets: Targets) {
  const latest = useLatest(targets);

  useEffect(() => {
    function onKeyDown(e: KeyboardEvent) {
      const action = shortcutFor({
        key: e.key,
        ctrlKey: e.ctrlKey,
        metaKey: e.metaKey,
        altKey: e.altKey,
        inEditable: isEditableTarget(e.target),
      });
      if (!action || e.defaultPrevented) return;
      // A dialog owns the keyboard while it is open (it handles Escape itself).
      if (document.querySelector('[role="dialog"]')) return;
      const { items, activeId, filter, navigate, view: viewRef, search } = latest.current;
      const view = viewRef.current;
      switch (action) {
        case 'next':
        case 'prev': {
          const target = neighbourId(items, activeId, action);
          if (target) navigate({ screen: 'inbox', filter, conversationId: target });
          break;
        }
        case 'reply':
        case 'note':
          if (!view) return;
          view.focusComposer(action);
          break;
        case 'resolve':
          if (!view) return;
          view.resolve();
          break;
        case 'assignMe':
          if (!view) return;
          view.assignToMe();
          break;
        case 'contact':
          if (!view) return;
          view.toggleContact();
          break;
        case 'search':
          search.current?.focus();
          break;
        case 'help':
          latest.current.showHelp();
          break;
        case 'escape':
          if (isEditableTarget(e.target) && e.target instanceof HTMLElement) e.target.blur();
          else latest.current.closeNav();
          return;
      }
      e.preventDefault();
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [latest]);
}
