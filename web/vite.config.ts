// The web app's build. `npm run dev:web` serves it with hot reload and
// sends /graphql and /app-config.json to the running gateway.
import react from '@vitejs/plugin-react';
import { copyFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const gateway = process.env.GATEWAY_URL ?? 'http://localhost:4000';

/**
 * The persisted-documents manifests go out with the build: the gateway loads
 * them from there (the app's operations, and the auditor's for the own-city route).
 */
function persistedDocuments(): Plugin {
  const manifests = {
    'src/gql/persisted-documents.json': 'persisted-documents.json',
    'src/audit/gql/persisted-documents.json': 'audit-documents.json',
  };
  return {
    name: 'persisted-documents',
    apply: 'build',
    writeBundle(options) {
      for (const [source, name] of Object.entries(manifests))
        copyFileSync(fileURLToPath(new URL(source, import.meta.url)), `${options.dir}/${name}`);
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
      onwarn(warning, warn) {
        // react-compiler-runtime marks itself "use no memo" for the React Compiler, which does not
        // compile node_modules: the directive means nothing in the bundle.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE' && warning.id?.includes('react-compiler-runtime'))
          return;
        warn(warning);
      },
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
    proxy: { '/graphql': gateway, '/own-city': gateway, '/app-config.json': gateway },
  },
});
