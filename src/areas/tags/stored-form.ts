// Endpoint settings forms (the analyzer's, the LM judge's) live in this browser's localStorage only; the API key
// is kept there only when the user ticks the box, otherwise only for the tab.

export function loadStoredForm<F>(storageKey: string, defaults: F): F {
  try {
    return { ...defaults, ...(JSON.parse(localStorage.getItem(storageKey) ?? '{}') as Partial<F>) };
  } catch {
    return defaults;
  }
}

export function saveStoredForm<F extends { apiKey: string; rememberKey: boolean }>(storageKey: string, form: F): void {
  try {
    localStorage.setItem(storageKey, JSON.stringify({ ...form, apiKey: form.rememberKey ? form.apiKey : '' }));
  } catch {
    /* private mode or a full quota: the settings last for this tab */
  }
}
