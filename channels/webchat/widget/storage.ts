// localStorage that may be missing: storage can be blocked (private mode, third-party iframe
// policies), and the widget must work without it.

export function storageGet(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

export function storageSet(key: string, value: string | null): void {
  try {
    if (value === null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, value);
  } catch {
    // Without storage the visitor simply gets a fresh conversation next visit.
  }
}
