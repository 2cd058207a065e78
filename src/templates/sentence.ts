/**
 * A template sentence: text, `{field}` for a field's value, and `[ … ]` around a part that is left out when a
 * field inside it is not given ("Vermist kind[ {name}], {age} jaar"). Groups do not nest.
 */
export type Part = { text: string } | { field: string } | { optional: Part[] };

const TOKEN = /\{([A-Za-z]+)\}|\[|\]|[^{}[\]]+|[{}]/g;

export class SentenceError extends Error {}

export function parseSentence(sentence: string): Part[] {
  const top: Part[] = [];
  let group: Part[] | null = null;
  for (const m of sentence.matchAll(TOKEN)) {
    const into = group ?? top;
    if (m[1]) into.push({ field: m[1] });
    else if (m[0] === "[") {
      if (group) throw new SentenceError("has a [ inside a [ ]");
      group = [];
    } else if (m[0] === "]") {
      if (!group) throw new SentenceError("has a ] without its [");
      if (!group.some((p) => "field" in p)) throw new SentenceError("has a [ ] without a {field} in it");
      top.push({ optional: group });
      group = null;
    } else if (m[0] === "{" || m[0] === "}") throw new SentenceError(`has a lone ${m[0]}`);
    else into.push({ text: m[0] });
  }
  if (group) throw new SentenceError("has a [ without its ]");
  return top;
}

/** Fields a sentence uses: outside any group (always needed) and inside groups (may be left out). */
export function fieldsOf(parts: Part[]): { always: string[]; inGroups: string[] } {
  const always: string[] = [];
  const inGroups: string[] = [];
  for (const p of parts) {
    if ("field" in p) always.push(p.field);
    if ("optional" in p) for (const q of p.optional) if ("field" in q) inGroups.push(q.field);
  }
  return { always, inGroups };
}

/** The sentence with these values; a group whose fields are not all given is left out. */
export function renderSentence(parts: Part[], values: Record<string, string>): string {
  return joined(parts, values).replace(/\s+/g, " ").trim();
}

function joined(parts: Part[], values: Record<string, string>): string {
  let out = "";
  for (const p of parts) {
    if ("text" in p) out += p.text;
    else if ("field" in p) out += values[p.field] ?? "";
    else if (p.optional.every((q) => !("field" in q) || values[q.field] !== undefined))
      out += joined(p.optional, values);
  }
  return out;
}
