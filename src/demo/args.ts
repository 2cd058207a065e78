import { parseArgs } from "node:util";
import { print, printError } from "../cli/print.js";

export interface DemoArgs {
  participants: number;
  cps: number;
  town: string;
  seed: number;
  keep: boolean;
  json: boolean;
  timeScale: number;
}

const USAGE = `npm run demo -- [--participants 20000] [--cps 100] [--town Amersfoort] [--seed 1] [--keep] [--json]`;

export function parseDemoArgs(argv: string[]): DemoArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      participants: { type: "string", default: "20000" },
      cps: { type: "string", default: "100" },
      town: { type: "string", default: "Amersfoort" },
      seed: { type: "string", default: "1" },
      "time-scale": { type: "string", default: "0.05" },
      keep: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    print(USAGE);
    process.exit(0);
  }
  const num = (name: string, v: string, min: number, max: number) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max) {
      printError(`--${name} must be a number from ${min} to ${max}\n${USAGE}`);
      process.exit(2);
    }
    return n;
  };
  return {
    participants: Math.round(num("participants", values.participants!, 10, 2_000_000)),
    cps: num("cps", values.cps!, 1, 1000),
    town: values.town!,
    seed: Math.round(num("seed", values.seed!, 0, 1_000_000)),
    keep: values.keep!,
    json: values.json!,
    timeScale: num("time-scale", values["time-scale"]!, 0.001, 1),
  };
}
