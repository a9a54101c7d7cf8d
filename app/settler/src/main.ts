// `npm start` / `tsx src/main.ts [flags]`: run the settler until SIGINT or SIGTERM.

import { ConfigError, loadConfig, usage } from "./config.ts";
import { startSettler } from "./settler.ts";

if (process.argv.includes("--help")) {
  console.log(`arknet settler\n\nFlags (environment variables in the second column):\n${usage()}`);
  process.exit(0);
}

let config;
try {
  config = loadConfig(process.argv.slice(2), process.env);
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(e.message);
    console.error("run with --help for the list of settings");
    process.exit(2);
  }
  throw e;
}

const settler = await startSettler(config);
settler.logger.info({ url: settler.url }, "settler listening");

let signals = 0;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (++signals > 1) {
      settler.logger.warn("second signal: exiting without waiting");
      process.exit(1);
    }
    settler.stop().then(
      () => process.exit(0),
      (e: Error) => {
        settler.logger.error({ err: e }, "shutdown failed");
        process.exit(1);
      },
    );
  });
}
