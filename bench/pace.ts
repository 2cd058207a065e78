import type { Scenario } from "./lib/types.js";
export const pace: Scenario = { name: "pace", title: "todo", async run() { return { metrics: [], notes: [] }; } };
