// Loads the project's TypeScript modules into plain Node (scripts, benchmarks) through Vite's SSR loader, so
// Node-side tools run the app's own code without a separate build.
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A Vite server in middleware mode for SSR loading only: no file watching, no HMR, no websocket. */
async function loader() {
  const { createServer } = await import('vite');
  return createServer({
    root: ROOT,
    configFile: false,
    logLevel: 'error',
    appType: 'custom',
    server: { middlewareMode: true, hmr: false, watch: null, ws: false },
    optimizeDeps: { noDiscovery: true, include: [] },
  });
}

/** Imports `path` (from the repository root, e.g. '/src/domain/ppm/index.ts'). */
export async function loadTsModule(path) {
  const server = await loader();
  try {
    return await server.ssrLoadModule(path);
  } finally {
    await server.close();
  }
}

/**
 * Imports several modules through one loader that stays open until `close()`: for code that imports more
 * modules later (dynamic imports, such as onnxruntime-web's, or the scorers a tag computation loads).
 */
export async function openTsModules(paths) {
  const server = await loader();
  try {
    const modules = [];
    for (const p of paths) modules.push(await server.ssrLoadModule(p));
    return { modules, close: () => server.close() };
  } catch (e) {
    await server.close();
    throw e;
  }
}
