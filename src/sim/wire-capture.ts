// When each call request reached the carrier's host: the kernel's timestamp of the packet that begins
// "POST …/Calls.json", as tcpdump sees it on the loopback interface. The emulator stamps a request when its event
// loop gets to it, and a pause of its own (a 70 ms garbage collection among 100,000 call records) stamps what
// arrived meanwhile together: a crowd that never was on the wire. Needs tcpdump and the right to capture (root).
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

export interface WireCapture {
  /** Epoch milliseconds (fractional) of every call request seen since start, in order; stops the capture. */
  stop(): Promise<number[]>;
}

/** Starts capturing call requests to `port` on lo; null (and why, through `log`) where tcpdump cannot run. */
export async function captureCallRequests(port: number, log: (m: string) => void): Promise<WireCapture | null> {
  // Only packets whose TCP payload begins with "POST": the first segment of each request.
  const filter = `tcp dst port ${port} and tcp[((tcp[12:1] & 0xf0) >> 2):4] = 0x504f5354`;
  const child = spawn("tcpdump", ["-i", "lo", "-nn", "-tt", "-l", "-A", "-s", "256", filter], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const killOnExit = () => child.kill();
  process.once("exit", killOnExit);
  const times: number[] = [];
  let packetAt = NaN;
  createInterface({ input: child.stdout! }).on("line", (line) => {
    const stamp = /^(\d+\.\d+) IP/.exec(line);
    if (stamp) packetAt = Number(stamp[1]) * 1000;
    else if (/POST \/2010-04-01\/Accounts\/\w+\/Calls\.json/.test(line) && !Number.isNaN(packetAt)) {
      times.push(packetAt);
      packetAt = NaN;
    }
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once("error", () => resolve(-1));
    child.once("exit", (code) => resolve(code));
  });
  // tcpdump says "listening on lo" once its filter is in place; an error or exit first means it cannot capture.
  let stderr = "";
  const listening = await Promise.race([
    new Promise<boolean>((resolve) =>
      child.stderr!.on("data", (d: Buffer) => {
        stderr += d.toString();
        if (/listening on/.test(stderr)) resolve(true);
      }),
    ),
    exited.then(() => false),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 5_000)),
  ]);
  if (!listening) {
    child.kill();
    process.off("exit", killOnExit);
    log(`no capture on the wire (tcpdump: ${stderr.trim().split("\n").pop() || "not found"})`);
    return null;
  }
  return {
    async stop() {
      // Let the last packets through the pipe before tcpdump is told to end.
      await new Promise((r) => setTimeout(r, 500));
      child.kill("SIGINT");
      await exited;
      process.off("exit", killOnExit);
      return times;
    },
  };
}
