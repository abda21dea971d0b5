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

/** The fields every endpoint form has. */
export interface EndpointForm {
  baseUrl: string;
  model: string;
  apiKey: string;
  concurrency: number;
}

/** The checked endpoint part of a form's settings, or what is wrong with it (shown under the form). */
export function endpointOf(
  f: EndpointForm,
  { noModel, maxConcurrency }: { noModel: string; maxConcurrency: number },
): { baseUrl: string; model: string; apiKey?: string; concurrency: number } | string {
  if (!/^https?:\/\/\S+$/.test(f.baseUrl.trim())) return 'The base URL must start with http:// or https://.';
  if (!f.model.trim()) return noModel;
  return {
    baseUrl: f.baseUrl.trim(),
    model: f.model.trim(),
    ...(f.apiKey ? { apiKey: f.apiKey } : {}),
    concurrency: Math.max(1, Math.min(maxConcurrency, f.concurrency)),
  };
}
