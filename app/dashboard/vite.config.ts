// Static build into dist/: relative asset paths so any server (the settler, `vite preview`, a
// CDN) can host it under any prefix; the SDK is bundled from its sources.
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  base: "./",
  plugins: [react()],
  resolve: { alias: { "@arknet/escrow": fileURLToPath(new URL("../../sdk/src/index.ts", import.meta.url)) } },
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", chunkSizeWarningLimit: 2048 },
  server: { port: 18173, strictPort: false },
});
