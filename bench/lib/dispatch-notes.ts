/** How the dispatch runs (pace, uncapped, memory) are set up: shared wording for RESULTS.md. */
export const DISPATCH_METHOD = [
  "Each run: a fresh schema with N voice participants within 2 km of the Dam, the service as `npm start` runs it (node + tsx " +
    "src/server.ts, LOG_LEVEL=warn, default dispatcher settings, DISPATCH_CPS as shown) in one child process, the Twilio " +
    "emulator (cps 0, i.e. it never holds calls back; transcripts off; every citizen answers and listens, so nothing is " +
    "retried; simulated call time at 0.1 × real time) in another, reached through the real twilio SDK. The alert is created " +
    "with POST /v1/alerts; call start times are stamped when the emulator receives the REST request (before authentication " +
    "and body parsing; callStarts()), on the same clock as the bench.",
  "Steady part: the starts from 2 s after the first to 2 s before the last (1 s for uncapped runs), rate = (n − 1) / span. " +
    "The dispatcher spaces slots 2% wider than the rate (PACE_MARGIN 0.98 in src/dispatch/dispatcher.ts), so 0.98 is the " +
    "best ratio it can reach: any slot given up by a late request puts it below the 2% target.",
  "\"Webhooks to a sink\": the service's PUBLIC_URL is mapped to a server in the emulator's process that hangs up at once, so " +
    "the figure is the dispatcher and the carrier's REST API alone; otherwise every call fetches its TwiML from the service " +
    "and posts its status callbacks, AMD result and menu answer to it, as Twilio would, on the same two cores.",
  "CPU figures are cores busy on average over the run (this machine has 2), from /proc: the service process, the PostgreSQL " +
    'backends of its connections (application_name), the emulator process, this runner; "everything else" is the rest of ' +
    "the machine (PostgreSQL's background work, other users of the machine). Row writes per call come from pg_stat_user_tables.",
  "Event-loop delay (perf_hooks.monitorEventLoopDelay, preloaded into both child processes by bench/lib/loop-monitor.ts, reset " +
    "when the alert is created): a stall in the service fires slot timers late; a stall in the emulator makes it handle " +
    "requests that arrived spread out in one bunch. Either shows as near-0 ms gaps between starts. The slots leave 2% (20 ms " +
    "per second) of slack; a request not handed its socket within 12 ms of its slot (LATE_TOLERANCE_MS, src/twilio/send-by.ts) " +
    "is not sent and takes the next slot. The two targets pull against each other: more slack means a pace further below " +
    "the CPS.",
];
