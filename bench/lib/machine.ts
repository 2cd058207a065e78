import { execFileSync } from "node:child_process";
import { cpus, loadavg, release, totalmem, type } from "node:os";
import type { MachineInfo } from "./types.js";

function git(args: string[]): string {
  try {
    return execFileSync("git", args, { stdio: ["ignore", "pipe", "ignore"] })
      .toString()
      .trim();
  } catch {
    return "";
  }
}

/** What the figures were measured on, including the code: the working tree may differ from the commit. */
export function machineInfo(): MachineInfo {
  const head = git(["rev-parse", "--short", "HEAD"]) || "unknown";
  const dirty = git(["status", "--porcelain", "--", "src", "sql", "voice-scripts"]).split("\n").filter(Boolean).length;
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? "unknown",
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${type()} ${release()}`,
    loadStart: Math.round(loadavg()[0] * 100) / 100,
    commit: dirty ? `${head} + ${dirty} uncommitted file(s) in src/sql` : head,
  };
}

export const loadNow = () => Math.round(loadavg()[0] * 100) / 100;
