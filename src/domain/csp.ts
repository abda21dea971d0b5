// The Content-Security-Policy the app is served with (vite preview now, the project's server later), as HTTP
// headers: a <meta> policy covers neither the app's workers (each worker takes the policy of its own script's
// response) nor framing (frame-ancestors works only as a header). Untrusted text is already rendered as plain
// React text (docs/security.md); this is the second line.

const common = {
  'script-src': "'self' 'wasm-unsafe-eval'",
  'worker-src': "'self' blob:",
  'object-src': "'none'",
  'base-uri': "'none'",
};

function policy(directives: Record<string, string>): string {
  return Object.entries(directives)
    .map(([k, v]) => `${k} ${v}`)
    .join('; ');
}

/** The document's policy: nothing from other origins, no framing by anyone. */
export const APP_CSP = policy({
  'default-src': "'self'",
  ...common,
  'style-src': "'self' 'unsafe-inline'",
  'img-src': "'self' data: blob:",
  'font-src': "'self'",
  'connect-src': "'self' blob: data:",
  'form-action': "'none'",
  'frame-src': "'none'",
  'frame-ancestors': "'none'",
});

/** The policy of the app's workers: they read IndexedDB and the app's own files, and connect nowhere else. */
export const WORKER_CSP = policy({ 'default-src': "'none'", ...common, 'connect-src': "'self' blob: data:" });

/**
 * The analyzer worker's policy: it sends prompts to the OpenAI-compatible endpoint the user configures, which
 * can be any http(s) address (its client refuses redirects, so nothing goes where the user did not point it).
 */
export const ANALYZER_WORKER_CSP = policy({ 'default-src': "'none'", ...common, 'connect-src': "'self' http: https:" });

/** The policy for a response by its URL path (worker scripts are the built `*-worker-<hash>.js` assets). */
export function cspForPath(path: string): string {
  const file = path.split('?')[0]!.split('/').pop() ?? '';
  if (/^analyzer-worker-[\w-]+\.js$/.test(file)) return ANALYZER_WORKER_CSP;
  if (/^[\w-]+-worker-[\w-]+\.js$/.test(file)) return WORKER_CSP;
  return APP_CSP;
}

/** Headers every response of the app carries besides the CSP. */
export const SECURITY_HEADERS: Record<string, string> = {
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};
