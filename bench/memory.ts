import type { Scenario } from "./lib/types.js";
export const memory: Scenario = { name: "memory", title: "todo", async run() { return { metrics: [], notes: [] }; } };
