import { useCallback, useState } from 'react';
import type { Toast } from '../Toasts';

let toastSeq = 0;

/** In-app notifications: at most four at a time, each gone after eight seconds. */
export function useToasts() {
  const [toasts, setToasts] = useState<Toast[]>([]);

  const pushToast = useCallback((toast: Omit<Toast, 'id'>) => {
    const id = ++toastSeq;
    setToasts((list) => [...list.slice(-3), { ...toast, id }]);
    window.setTimeout(() => setToasts((list) => list.filter((x) => x.id !== id)), 8000);
  }, []);

  const dismissToast = useCallback(
    (id: number) => setToasts((list) => list.filter((x) => x.id !== id)),
    [],
  );

  return { toasts, pushToast, dismissToast };
}
