// Builds dist/: ESM bundles of the library entries (code shared between them split into
// chunks, dependencies left external so apps tree-shake them) and the CLI, plus declarations.
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const sdk = resolve(dirname(fileURLToPath(import.meta.url)), "..");
rmSync(resolve(sdk, "dist"), { recursive: true, force: true });
await build({
  absWorkingDir: sdk,
  entryPoints: { index: "src/index.ts", web3js: "src/web3js.ts", "cli/main": "src/cli/main.ts" },
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
});
const cli = resolve(sdk, "dist/cli/main.js");
const text = readFileSync(cli, "utf8").replace(/^#!.*\n/, "");
writeFileSync(cli, `#!/usr/bin/env node\n${text}`);
chmodSync(cli, 0o755);
execFileSync(process.execPath, [resolve(sdk, "../node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], { cwd: sdk, stdio: "inherit" });
// Declarations keep the sources' specifiers: `.ts`, or none at all in Codama's output. Consumers
// on NodeNext resolution need full ones, so each relative specifier becomes `.js`, or
// `/index.js` where it names a directory.
const fullSpecifier = (file: string, spec: string): string => {
  const bare = spec.replace(/\.ts$/, "");
  if (/\.js$/.test(bare)) return bare;
  const target = resolve(dirname(file), bare);
  return existsSync(target) && statSync(target).isDirectory() ? `${bare}/index.js` : `${bare}.js`;
};
const rewrite = (dir: string): void => {
  for (const name of readdirSync(dir)) {
    const p = resolve(dir, name);
    if (statSync(p).isDirectory()) rewrite(p);
    else if (p.endsWith(".d.ts"))
      writeFileSync(p, readFileSync(p, "utf8").replace(/(from\s+["'])(\.{1,2}\/[^"']*)(["'])/g, (_m, a, spec, b) => `${a}${fullSpecifier(p, spec)}${b}`));
  }
};
rewrite(resolve(sdk, "dist"));
console.log("built dist/ (index.js, web3js.js, cli/main.js and declarations)");
