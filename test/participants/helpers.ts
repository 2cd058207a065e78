import assert from "node:assert/strict";
import type { Queryable } from "../../src/db/db.js";
import { bearer, type Stack } from "../helpers/stack.js";

export const home = { kind: "home", postcode: "1012 AB" };

export async function register(s: Stack, phone: string, channels = ["voice", "sms"]) {
  const before = s.emulator.messagesTo(phone).length;
  const res = await s.app.inject({
    method: "POST",
    url: "/v1/participants",
    headers: bearer(s.keys.registration),
    payload: { phone, channels, locations: [home] },
  });
  assert.equal(res.statusCode, 202, res.body);
  const sms = await s.emulator.waitFor(() => s.emulator.messagesTo(phone)[before]);
  return { id: res.json().id as string, code: /(\d{6})/.exec(sms.body)![1] };
}

/** Registers and proves the phone: an active participant, as a citizen would become one. */
export async function registerActive(s: Stack, phone: string): Promise<string> {
  const { id, code } = await register(s, phone);
  const res = await s.app.inject({
    method: "POST",
    url: `/v1/participants/${id}/verify`,
    headers: bearer(s.keys.registration),
    payload: { code },
  });
  assert.equal(res.statusCode, 200, res.body);
  return id;
}

/** +31612340001 → the spellings a stored text may use: +31612340001, 31612340001, 0612340001. */
export const phoneForms = (e164: string) => [e164, e164.slice(1), `0${e164.slice(3)}`];

/**
 * Every text, character, json, jsonb and array column of every table in this schema (information_schema), searched
 * for each spelling of the number. Returns "table.column: n rows" for each hit.
 */
export async function whereIsNumber(db: Queryable, e164: string): Promise<string[]> {
  const columns = (
    await db.query<{ table_name: string; column_name: string }>(
      `SELECT c.table_name, c.column_name FROM information_schema.columns c
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
        WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
          AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY')`,
    )
  ).rows;
  assert.ok(columns.length > 20, `searched only ${columns.length} columns`);
  const patterns = phoneForms(e164).map((f) => `%${f}%`);
  const hits: string[] = [];
  for (const { table_name, column_name } of columns) {
    const { n } = (
      await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "${table_name}" WHERE "${column_name}"::text LIKE ANY ($1)`,
        [patterns],
      )
    ).rows[0];
    if (n > 0) hits.push(`${table_name}.${column_name}: ${n} rows`);
  }
  return hits;
}
