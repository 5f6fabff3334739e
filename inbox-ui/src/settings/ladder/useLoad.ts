import { useCallback, useEffect, useState } from 'react';

/** Loads what a settings section shows; `reload` after each change. */
export function useLoad<T>(loader: () => Promise<T>, initial: T) {
  const [data, setData] = useState<T>(initial);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(async () => {
    try {
      setData(await loader());
      setError(null);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }, [loader]);
  useEffect(() => void reload(), [reload]);
  return { data, error, reload };
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** "" → null, digits → a whole number; anything else → null. */
export function minutesOrNull(text: string): number | null {
  const n = Number(text.trim());
  return text.trim() && Number.isInteger(n) && n > 0 ? n : null;
}
