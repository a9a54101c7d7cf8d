// Root hooks: the shared validator is always stopped when the run ends.
import { stopCluster } from "./cluster.ts";

export const mochaHooks = {
  async afterAll() {
    await stopCluster();
  },
};
