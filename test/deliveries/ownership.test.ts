import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { DELIVERY_STATUSES } from "../../src/deliveries/statuses.js";

/**
 * src/deliveries/ owns the `deliveries` table. Scanned: every .ts file of src/ and console/src/ (the shipped code;
 * tests, benchmarks and migrations set up or change the table on purpose). Outside src/deliveries/ none may hold
 *  - a write: `INSERT INTO deliveries`, `UPDATE deliveries` or `DELETE FROM deliveries` in a string or template;
 *  - a delivery status literal, which is either
 *    - in SQL: a quoted 'status' inside a string or template that names the table `deliveries`, or names no table
 *      at all (a fragment, which could be about any table); a text naming only other tables (webhook_deliveries,
 *      participants, …) speaks of their own statuses;
 *    - in TypeScript: a string literal whose whole value is a status.
 * A status is one of DELIVERY_STATUSES, or `claimed` (dropped by sql/011), which may appear nowhere, not even in
 * src/deliveries/. The exemptions below are other vocabularies that share a word with ours, each with its reason.
 */
const EXEMPT: { path: RegExp; words: string[] | "all"; why: string }[] = [
  { path: /^src\/(sim|twilio)\//, words: "all", why: "Twilio's own CallStatus / MessageStatus words" },
  { path: /^src\/client\/api\.ts$/, words: "all", why: "generated from the OpenAPI document" },
  {
    path: /^src\/webhooks\//,
    words: ["pending", "sending", "failed", "delivered"],
    why: "the webhook outbox's own statuses (webhook_deliveries) and an attempt's outcome",
  },
  {
    path: /^src\/(participants\/|http\/response-examples\.ts$)/,
    words: ["pending"],
    why: "a registration waiting for its code",
  },
  {
    path: /^src\/ivr\//,
    words: ["voicemail", "answered"],
    why: "the IVR step for an answering machine; Twilio's DialCallStatus",
  },
  { path: /^src\/dispatch\/slot-line\.ts$/, words: ["busy"], why: "a lost slot's reason (a /metrics label)" },
  { path: /^src\/cap\//, words: ["sent"], why: "CAP's <sent> element" },
];

const root = new URL("../..", import.meta.url).pathname;
const STATUSES = new Set<string>([...DELIVERY_STATUSES, "claimed"]);
const WRITE = /\b(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+deliveries\b/i;
const NAMES_DELIVERIES = /(?<![\w.])deliveries\b/;
const NAMES_A_TABLE = /\b(FROM|JOIN|UPDATE|INTO)\s+[a-z_]+/i;
const SQL_LITERAL = /'([a-z_]+)'/g;

function files(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

/** Every string and template of a file: its text (a template's substitutions as `${}`), whole-literal or not. */
function texts(path: string): { text: string; whole: boolean; line: number }[] {
  const source = ts.createSourceFile(path, readFileSync(join(root, path), "utf8"), ts.ScriptTarget.Latest, true);
  const found: { text: string; whole: boolean; line: number }[] = [];
  const lineOf = (n: ts.Node) => source.getLineAndCharacterOfPosition(n.getStart()).line + 1;
  const visit = (node: ts.Node) => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))
      found.push({ text: node.text, whole: true, line: lineOf(node) });
    else if (ts.isTemplateExpression(node)) {
      const text = node.head.text + node.templateSpans.map((s) => "${}" + s.literal.text).join("");
      found.push({ text, whole: false, line: lineOf(node) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

export function violations(): string[] {
  const out: string[] = [];
  for (const path of [...files("src"), ...files("console/src")]) {
    const owner = path.startsWith("src/deliveries/");
    const exempt = (word: string) =>
      EXEMPT.some((e) => e.path.test(path) && (e.words === "all" || e.words.includes(word)));
    const flag = (word: string) => word === "claimed" || (!owner && !exempt(word));
    for (const { text, whole, line } of texts(path)) {
      const at = `${relative(".", path)}:${line}`;
      if (!owner && WRITE.test(text)) out.push(`${at} writes deliveries: ${WRITE.exec(text)![0]}`);
      if (whole && STATUSES.has(text) && flag(text)) out.push(`${at} status literal "${text}"`);
      if (NAMES_DELIVERIES.test(text) || !NAMES_A_TABLE.test(text))
        for (const [, word] of text.matchAll(SQL_LITERAL))
          if (STATUSES.has(word) && flag(word)) out.push(`${at} status literal '${word}' in SQL`);
    }
  }
  return out;
}

test("only src/deliveries/ writes the deliveries table or names a delivery status", () => {
  assert.deepEqual(violations(), []);
});

test("the scan finds what it looks for: a write, a status in SQL and in TypeScript, claimed anywhere", () => {
  const probe = (text: string) => {
    const hits: string[] = [];
    if (WRITE.test(text)) hits.push("write");
    if (STATUSES.has(text)) hits.push("ts");
    if (NAMES_DELIVERIES.test(text) || !NAMES_A_TABLE.test(text))
      for (const [, w] of text.matchAll(SQL_LITERAL)) if (STATUSES.has(w)) hits.push(`sql:${w}`);
    return hits;
  };
  assert.deepEqual(probe("UPDATE deliveries SET x = 1"), ["write"]);
  assert.deepEqual(probe("UPDATE webhook_deliveries SET status = 'failed'"), []);
  assert.deepEqual(probe("SELECT 1 FROM deliveries d WHERE d.status = 'answered'"), ["sql:answered"]);
  assert.deepEqual(probe("d.status IN ('pending', 'sending')"), ["sql:pending", "sql:sending"]);
  assert.deepEqual(probe("SELECT id FROM participants WHERE status = 'pending'"), []);
  assert.deepEqual(probe("no_answer"), ["ts"]);
  assert.deepEqual(probe("claimed"), ["ts"]);
});
