// Where the demo finds the rest of the repo.
import { fileURLToPath } from "node:url";
import { join } from "node:path";

export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const PROGRAM_SO = join(REPO_ROOT, "target/deploy/arknet_escrow.so");
export const SDK_DIST = join(REPO_ROOT, "sdk/dist/index.js");
export const SDK_SRC = join(REPO_ROOT, "sdk/src");
export const SETTLER_DIR = join(REPO_ROOT, "app/settler");
export const DASHBOARD_DIR = join(REPO_ROOT, "app/dashboard");
export const DASHBOARD_DIST = join(DASHBOARD_DIR, "dist");
