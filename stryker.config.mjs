// Mutation testing of the rule modules (`npm run mutate`, CONTRIBUTING "Mutation testing"). The tap runner runs each
// test file below as `node --import tsx <file>` and reads node:test's TAP; with per-test coverage only the files
// that reach a mutant run against it. Only fast pure tests are listed: no database, no stack.
/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  testRunner: "tap",
  plugins: ["@stryker-mutator/tap-runner"],
  tap: {
    testFiles: [
      "test/alerts/states.test.ts",
      "test/alerts/carrier-errors.test.ts",
      "test/alerts/sms-segments.test.ts",
      "test/webhooks/signing.test.ts",
      "test/alerts/quiet-hours-window.test.ts",
      "test/participants/code-limits.test.ts",
      "test/geo/geometry.test.ts",
      "test/twilio/webhook-auth.test.ts",
      "test/geo/geojson.test.ts",
      "test/geo/geojson-edges.test.ts",
      "test/geo/area-kinds.test.ts",
      "test/geo/polygon-checks.test.ts",
      "test/twilio/webhook-shape.test.ts",
      "test/twilio/webhook-refusals.test.ts",
      "test/templates/licence-plate.test.ts",
      "test/templates/load.test.ts",
      "test/templates/sentence.test.ts",
    ],
    nodeArgs: ["--import", "tsx", "--test-reporter=tap"],
  },
  mutate: [
    "src/rules/quiet-hours.ts",
    "src/participants/code-limits.ts",
    "src/deliveries/machine.ts",
    "src/deliveries/statuses.ts",
    "src/dispatch/carrier-errors.ts",
    "src/geo/geometry.ts",
    "src/geo/geojson.ts",
    "src/geo/polygon-checks.ts",
    "src/twilio/webhook-auth.ts",
    "src/webhooks/signing.ts",
    "src/rules/sms-segments.ts",
    "src/rules/spoken-length.ts",
    "src/templates/licence-plate.ts",
    "src/templates/sentence.ts",
  ],
  coverageAnalysis: "perTest",
  // The machine is shared (CONTRIBUTING): one test process at a time unless told otherwise (--concurrency 2).
  concurrency: 1,
  thresholds: { high: 95, low: 85, break: 85 },
  reporters: ["clear-text", "progress", "json"],
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
};
