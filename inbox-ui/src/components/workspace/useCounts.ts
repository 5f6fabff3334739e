import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../api/client';
import type { Counts } from '../../api/types';

/** The navigation's counts; a burst of changes asks the server once. */
export function useCounts() {
  const [counts, setCounts] = useState<Counts | null>(null);
  const timer = useRef<number | undefined>(undefined);

  const refreshCounts = useCallback(() => {
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      api.counts().then(setCounts, () => {});
    }, 400);
  }, []);

  useEffect(() => {
    api.counts().then(setCounts, () => {});
  }, []);

  return { counts, refreshCounts };
}
