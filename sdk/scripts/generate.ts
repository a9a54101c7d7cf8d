// Renders the Codama client of idl/arknet_escrow.json into src/generated (or into the
// folder given as the first argument, which the staleness test uses).
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, relative, resolve } from "node:path";
import { createFromRoot, definedTypeNode, programNode, rootNode, type RootNode } from "codama";
import { rootNodeFromAnchor, type AnchorIdl } from "@codama/nodes-from-anchor";
import { renderVisitor } from "@codama/renderers-js";

const sdkDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const IDL_PATH = resolve(sdkDir, "../idl/arknet_escrow.json");

/** Writes the generated client into `outDir` (absolute), replacing what was there. */
export async function generate(outDir = resolve(sdkDir, "src/generated")): Promise<void> {
  const idl = JSON.parse(readFileSync(IDL_PATH, "utf8")) as AnchorIdl;
  const codama = createFromRoot(withEventTypes(rootNodeFromAnchor(idl)));
  await codama.accept(
    renderVisitor(sdkDir, {
      generatedFolder: relative(sdkDir, outDir),
      deleteFolderBeforeRendering: true,
      syncPackageJson: false,
      formatCode: true,
    }),
  );
  markPluginUnchecked(resolve(outDir, "programs/arknetEscrow.ts"));
}

/**
 * renderers-js 2.2.0 types its client plugin against an older kit: `extendClient` in kit 8
 * returns a mapped type tsc cannot assign to the declared one (the code is right, the
 * annotation is not). The program file is left unchecked rather than hand-edited.
 */
function markPluginUnchecked(file: string): void {
  const note = "// @ts-nocheck -- added by scripts/generate.ts: renderers-js 2.2.0 plugin typing predates kit 8\n";
  writeFileSync(file, note + readFileSync(file, "utf8"));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await generate(process.argv[2] ? resolve(process.argv[2]) : undefined);
}

/**
 * Codama parses the IDL's events but its JS renderer skips them. Each event becomes a
 * defined type whose codec includes the event's 8-byte discriminator as a checked hidden
 * prefix, so `get<Event>Decoder()` decodes a whole `Program data:` payload.
 */
function withEventTypes(root: RootNode): RootNode {
  const program = root.program;
  const eventTypes = program.events.map((event) => definedTypeNode({ name: `${event.name}Event`, type: event.data, docs: event.docs }));
  return rootNode(programNode({ ...program, definedTypes: [...program.definedTypes, ...eventTypes] }), root.additionalPrograms);
}
