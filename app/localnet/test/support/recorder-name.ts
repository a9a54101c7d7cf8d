// The name of the running test, set by the suites' beforeEach hooks.
let name = "";
export const currentTestName = () => name;
export const setTestName = (n: string) => (name = n);
