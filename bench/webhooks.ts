import type { Scenario } from "./lib/types.js";
export const webhooks: Scenario = { name: "webhooks", title: "todo", async run() { return { metrics: [], notes: [] }; } };
