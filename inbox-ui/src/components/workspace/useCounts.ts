import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../api/client';
import type { Conversation, Counts } from '../../api/types';
import { applyCountChange } from '../../lib/counts';

/**
 * The navigation's counts. They follow the same events as the list (`countChange`), so a new
 * unassigned conversation moves "Unassigned" the moment it shows; what cannot be worked out
 * here asks the server, a burst of such changes once.
 */
export function useCounts() {
  const [counts, setCountsState] = useState<Counts | null>(null);
  const current = useRef<Counts | null>(null);
  const timer = useRef<number | undefined>(undefined);

  const setCounts = useCallback((next: Counts) => {
    current.current = next;
    setCountsState(next);
  }, []);

  const refreshCounts = useCallback(() => {
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      api.counts().then(setCounts, () => {});
    }, 400);
  }, [setCounts]);

  useEffect(() => {
    api.counts().then(setCounts, () => {});
  }, [setCounts]);

  /** A conversation changed from `before` (null: not counted yet) to `after`. */
  const countChange = useCallback(
    (before: Conversation | null | 'unknown', after: Conversation, meId: string) => {
      const next = applyCountChange(current.current, before, after, meId);
      if (next) setCounts(next);
      else refreshCounts();
    },
    [setCounts, refreshCounts],
  );

  return { counts, refreshCounts, countChange };
}
