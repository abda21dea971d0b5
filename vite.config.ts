import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';
import { readFileSync } from 'node:fs';
import { APP_CSP, cspForPath, SECURITY_HEADERS } from './src/domain/csp.ts';

// The app's version goes into every export manifest.
const appVersion = (JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string }).version;

// Cross-origin isolation lets onnxruntime-web use threads (SharedArrayBuffer); both servers need it.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// Prompts and responses are untrusted text. The built app is served with a strict Content-Security-Policy as
// headers (src/domain/csp.ts: the document's, and each worker's own), plus the same document policy as a
// <meta> for static hosting without headers. The dev server cannot enforce it (React Refresh injects an inline
// preamble script); it still refuses to be framed.
function securityHeaders(): Plugin {
  return {
    name: 'hyper-security-headers',
    configureServer(server) {
      server.middlewares.use((_req, res, next) => {
        res.setHeader('Content-Security-Policy', "frame-ancestors 'none'");
        for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
        next();
      });
    },
    configurePreviewServer(server) {
      server.middlewares.use((req, res, next) => {
        res.setHeader('Content-Security-Policy', cspForPath(req.url ?? '/'));
        for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
        next();
      });
    },
  };
}

function cspForBuild(): Plugin {
  return {
    name: 'hyper-csp',
    apply: 'build',
    // frame-ancestors is ignored in a <meta> policy (browsers warn); the header carries it.
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: APP_CSP.replace(/; frame-ancestors [^;]+/, '') },
        injectTo: 'head-prepend',
      },
    ],
  };
}

export default defineConfig({
  plugins: [react(), tailwindcss(), cspForBuild(), securityHeaders()],
  server: { headers: isolationHeaders, host: '127.0.0.1' },
  preview: { headers: isolationHeaders, host: '127.0.0.1' },
  worker: { format: 'es' },
  define: { __APP_VERSION__: JSON.stringify(appVersion) },
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
});
