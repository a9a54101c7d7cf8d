// `npm start`: builds what is missing, then runs the demo (see options.ts for the flags).
// The SDK is imported only after its dist/ exists, hence the dynamic import.
import { OptionsError, USAGE, parseOptions } from "./options.ts";
import { buildMissing } from "./prepare.ts";

let options;
try {
  options = parseOptions(process.argv.slice(2), process.env);
} catch (e) {
  if (!(e instanceof OptionsError) && (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS") !== true) throw e;
  console.error(`${(e as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (options.help) {
  console.log(USAGE);
  process.exit(0);
}
buildMissing();
const { runDemo } = await import("./run.ts");
process.exit(await runDemo(options));
