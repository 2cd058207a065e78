import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { loadTemplates, TEMPLATES_DIR, TemplateError } from "../../src/templates/load.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- edits reach into arbitrary depth of the JSON
type Json = Record<string, any>;
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A copy of the shipped templates with one file changed. */
function withChange(file: string, change: (data: Json) => void): string {
  const dir = mkdtempSync(join(tmpdir(), "templates-"));
  dirs.push(dir);
  cpSync(TEMPLATES_DIR, dir, { recursive: true });
  const data = JSON.parse(readFileSync(join(dir, file), "utf8"));
  change(data);
  writeFileSync(join(dir, file), JSON.stringify(data));
  return dir;
}

function refused(dir: string, pattern: RegExp) {
  assert.throws(
    () => loadTemplates(dir),
    (err: unknown) => err instanceof TemplateError && pattern.test(err.message),
  );
}

describe("templates are checked at boot like the voice scripts", () => {
  test("the shipped templates load: five, with Dutch and English sentences", () => {
    const t = loadTemplates();
    assert.deepEqual(
      t.definitions.templates.map((d) => d.id),
      ["missing_child", "missing_dementia", "suspect", "vehicle", "free"],
    );
    // More languages may be added as files of their own (templates/README.md): these two are always there.
    for (const lang of ["nl", "en"]) assert.ok(t.languages.has(lang), lang);
  });

  test("a missing sentence fails the boot, naming file and template", () => {
    refused(
      withChange("en-GB.json", (d) => delete d.templates.vehicle),
      /en-GB\.json: \/templates has no sentences for the template "vehicle"/,
    );
    refused(
      withChange("nl-NL.json", (d) => delete d.templates.suspect.sms),
      /nl-NL\.json: \/templates\/suspect must have required property 'sms'/,
    );
  });

  test("a sentence with an unknown field, or one that leaves a field out, fails the boot", () => {
    refused(
      withChange("nl-NL.json", (d) => (d.templates.vehicle.sms += " {shoeSize}")),
      /\/templates\/vehicle\/sms uses \{shoeSize\}, which is not a field of "vehicle"/,
    );
    refused(
      withChange("nl-NL.json", (d) => (d.templates.vehicle.sms = "Gezocht: {vehicleMake}.")),
      /\/templates\/vehicle\/sms leaves out the field \{colour\}/,
    );
    refused(
      withChange(
        "en-GB.json",
        (d) => (d.templates.missing_child.voice = d.templates.missing_child.voice.replace("[: {name}]", " {name}")),
      ),
      /uses the optional field \{name\} outside \[ \]/,
    );
  });

  test("an unknown field type, an unknown field in a template, a missing label or a misnamed file fail the boot", () => {
    refused(
      withChange("definitions.json", (d) => (d.fields.age.type = "float")),
      /definitions\.json: \/fields\/age\/type must be equal to one of the allowed values/,
    );
    refused(
      withChange("definitions.json", (d) => d.templates[0].optional.push("hairColour")),
      /uses the unknown field "hairColour"/,
    );
    refused(
      withChange("nl-NL.json", (d) => delete d.fields.licencePlate),
      /has no label for the field "licencePlate"/,
    );
    refused(
      withChange("en-GB.json", (d) => (d.language = "en-US")),
      /\/language must match the file name \(en-GB\)/,
    );
    refused(
      withChange(
        "nl-NL.json",
        (d) => (d.templates.free.voice = '<say-as interpret-as="characters">{message}</say-as>'),
      ),
      /\/templates\/free\/voice must not contain < or >/,
    );
    refused(
      withChange("nl-NL.json", (d) => (d.templates.free.sms = "[{message}")),
      /has a \[ without its \]/,
    );
  });
});
