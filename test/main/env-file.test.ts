import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadDotEnv } from "../../src/env-file.js";

test(".env is read when present; what the environment already says wins; no file is no error", () => {
  const dir = mkdtempSync(join(tmpdir(), "burgernet-env-"));
  try {
    const file = join(dir, ".env");
    writeFileSync(file, "BN_TEST_FROM_FILE=file\nBN_TEST_BOTH=file\n");
    process.env.BN_TEST_BOTH = "environment";
    loadDotEnv(file);
    assert.equal(process.env.BN_TEST_FROM_FILE, "file");
    assert.equal(process.env.BN_TEST_BOTH, "environment");
    assert.doesNotThrow(() => loadDotEnv(join(dir, "missing.env")));
  } finally {
    delete process.env.BN_TEST_FROM_FILE;
    delete process.env.BN_TEST_BOTH;
    rmSync(dir, { recursive: true, force: true });
  }
});
