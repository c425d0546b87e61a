/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The build lands in target/classes/static so that Maven packs it into the web-ui jar, which the config backend
// serves from classpath:static/. `npm run dev` proxies the API to a config backend running on :5000.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'target/classes/static',
    emptyOutDir: true,
    chunkSizeWarningLimit: 700,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:5000' },
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    // a limit, not an assertion: a loaded 2-core machine (several builds at once) runs a DOM test in seconds
    testTimeout: 60_000,
  },
});
