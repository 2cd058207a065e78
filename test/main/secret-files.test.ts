import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, loadConfig } from "../../src/config.js";

/** Secrets as Docker and Kubernetes mount them: one file each, usually ending in a newline. */
const dir = mkdtempSync(join(tmpdir(), "burgernet-secrets-"));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function secretFile(content: string) {
  const path = join(dir, `secret-${n++}`);
  writeFileSync(path, content, { mode: 0o600 });
  return path;
}

const sid = `AC${"2".repeat(32)}`;
const token = "a-real-looking-auth-token-0002";

function configError(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.message;
  }
  return assert.fail("the configuration was accepted");
}

describe("every secret can come from a file (X_FILE)", () => {
  test("the Twilio auth token and both database URLs are read from their files, one trailing newline dropped", () => {
    const pooled = "postgres://burgernet:s3cret@pgbouncer:6432/burgernet";
    const direct = "postgres://burgernet:s3cret@postgres:5432/burgernet";
    const config = loadConfig({
      TWILIO_ACCOUNT_SID: sid,
      TWILIO_AUTH_TOKEN_FILE: secretFile(`${token}\n`),
      PGBOUNCER: "true",
      DATABASE_URL_FILE: secretFile(`${pooled}\n`),
      DATABASE_DIRECT_URL_FILE: secretFile(direct),
    });
    assert.equal(config.twilio?.authToken, token);
    assert.equal(config.databaseUrl, pooled);
    assert.equal(config.transactionPooler?.directConnectionString, direct);
  });

  test("a production start is complete with its secrets in files", () => {
    const config = loadConfig({
      NODE_ENV: "production",
      PUBLIC_URL: "https://burgernet.example",
      TWILIO_ACCOUNT_SID: sid,
      TWILIO_AUTH_TOKEN_FILE: secretFile(`${token}\r\n`),
      DATABASE_URL_FILE: secretFile("postgres://burgernet@db/burgernet\n"),
    });
    assert.equal(config.twilio?.authToken, token, "a Windows line end is one newline too");
    assert.equal(config.databaseUrl, "postgres://burgernet@db/burgernet");
  });

  test("both X and X_FILE set is an error naming both", () => {
    const message = configError({
      TWILIO_ACCOUNT_SID: sid,
      TWILIO_AUTH_TOKEN: token,
      TWILIO_AUTH_TOKEN_FILE: secretFile(token),
    });
    assert.match(message, /TWILIO_AUTH_TOKEN and TWILIO_AUTH_TOKEN_FILE are both set/);
  });

  test("a file that cannot be read is an error naming the variable", () => {
    assert.match(
      configError({ DATABASE_URL_FILE: join(dir, "missing") }),
      /DATABASE_URL_FILE .*cannot be read \(ENOENT\)/,
    );
    assert.match(
      configError({ DATABASE_DIRECT_URL_FILE: dir }),
      /DATABASE_DIRECT_URL_FILE .*cannot be read \(EISDIR\)/,
    );
  });

  test("an empty file is an error, not an unset variable (which would fall back to the emulator)", () => {
    assert.match(
      configError({ TWILIO_ACCOUNT_SID: sid, TWILIO_AUTH_TOKEN_FILE: secretFile("\n") }),
      /TWILIO_AUTH_TOKEN_FILE .*is empty/,
    );
  });

  test("a bad value from a file names the file's variable and never shows the content", () => {
    const message = configError({ DATABASE_URL_FILE: secretFile("mysql://root:hunter2-very-secret@db/x\n") });
    assert.match(message, /DATABASE_URL \(from DATABASE_URL_FILE\)/);
    assert.doesNotMatch(message, /hunter2/);
    const short = configError({ TWILIO_ACCOUNT_SID: sid, TWILIO_AUTH_TOKEN_FILE: secretFile("short-secret") });
    assert.match(short, /TWILIO_AUTH_TOKEN \(from TWILIO_AUTH_TOKEN_FILE\)/);
    assert.doesNotMatch(short, /short-secret/);
  });
});
