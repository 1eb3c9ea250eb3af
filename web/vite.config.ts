// Vite builds the inbox web app (web/) into web/dist: index.html and hashed assets under
// /assets/app/, each with precompressed .br and .gz siblings that the gateway serves as accepted.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

/** Writes file.br and file.gz beside every built asset (text assets only: images are compressed already). */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'omega-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = join(config.root, config.build.outDir, config.build.assetsDir);
    },
    closeBundle() {
      const walk = (dir: string): string[] => readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)]));
      if (!existsSync(outDir)) return; // the build failed: nothing to compress
      for (const file of walk(outDir)) {
        if (!/\.(js|css|svg|json|txt|map)$/.test(file)) continue;
        const data = readFileSync(file);
        writeFileSync(`${file}.gz`, gzipSync(data, { level: 9 }));
        writeFileSync(`${file}.br`, brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length } }));
      }
    },
  };
}

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react(), precompress()],
  // The dev server (npx vite web) proxies the API to a gateway on OMEGA_DEV_API (default :8000).
  server: {
    proxy: {
      '/graphql': { target: process.env.OMEGA_DEV_API ?? 'http://127.0.0.1:4000', ws: true, changeOrigin: false },
      '/auth': { target: process.env.OMEGA_DEV_API ?? 'http://127.0.0.1:4000' },
      '/session': { target: process.env.OMEGA_DEV_API ?? 'http://127.0.0.1:4000' },
    },
  },
  build: {
    outDir: 'dist',
    assetsDir: 'assets/app',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
  },
});
