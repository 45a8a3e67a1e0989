// The web app's build. `npm run dev:web` serves it with hot reload and
// sends /graphql and /app-config.json to the running gateway.
import react from '@vitejs/plugin-react';
import { copyFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const gateway = process.env.GATEWAY_URL ?? 'http://localhost:4000';

/** The persisted-documents manifest goes out with the build: the gateway loads it from there. */
function persistedDocuments(): Plugin {
  return {
    name: 'persisted-documents',
    apply: 'build',
    writeBundle(options) {
      copyFileSync(
        fileURLToPath(new URL('src/gql/persisted-documents.json', import.meta.url)),
        `${options.dir}/persisted-documents.json`,
      );
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react(), persistedDocuments()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // GraphiQL's chunk (about 630 kB) loads only at /graphql; the initial budget is measured by npm run bench:web.
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      treeshake: {
        // Designsystemet's React package declares no `sideEffects`, so its barrel would
        // bring every component; its modules have none (its web components are a package of their own).
        moduleSideEffects: (id) => !/node_modules\/@digdir\/designsystemet-react\/.*\.js$/.test(id),
      },
    },
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: { '/graphql': gateway, '/app-config.json': gateway },
  },
});
