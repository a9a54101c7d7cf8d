// Root hooks: the shared PostgreSQL server (if a test started it) stops when the run ends.
import { stopSharedPostgres } from "./postgres.ts";

export const mochaHooks = {
  async afterAll(this: Mocha.Context) {
    this.timeout(20_000);
    await stopSharedPostgres();
  },
};
