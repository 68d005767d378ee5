import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The server serves web/dist at "/" and the API at /api; `npm run dev` proxies the API.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 800 },
  server: { proxy: { '/api': 'http://127.0.0.1:8080', '/healthz': 'http://127.0.0.1:8080' } },
});
