import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Built into dist/ and served by apps/api on its own origin (apps/api/src/web/web-app.ts): no
// dev server, no CDN, every asset local and content-hashed under /assets/.
export default defineConfig({
  plugins: [react()],
  base: '/',
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1024 },
});
