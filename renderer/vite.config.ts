import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));
const chatServer = 'http://127.0.0.1:3210';

export default defineConfig({
  root,
  // Relative asset URLs let the same build load under Electron's app:// protocol and at the server's `/`.
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
  },
  server: {
    proxy: {
      '/api': chatServer,
      '/socket.io': { target: chatServer, ws: true },
    },
  },
});
