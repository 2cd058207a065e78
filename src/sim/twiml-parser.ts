export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}

export type XmlNode = XmlElement | string;

export class XmlParseError extends Error {}

const MAX_DEPTH = 32;
const MAX_LENGTH = 64 * 1024;
const NAME = /[A-Za-z_:][\w.:-]*/y;
const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/**
 * A deliberately small XML parser for TwiML: elements, attributes, text, CDATA, comments and the five
 * predefined entities plus numeric references. DTDs are refused, so no entity expansion can happen.
 */
export function parseXml(input: string): XmlElement {
  if (input.length > MAX_LENGTH) throw new XmlParseError("document larger than 64 KB");
  const p = new Parser(input.charCodeAt(0) === 0xfeff ? input.slice(1) : input);
  p.skipMisc();
  if (!p.at("<")) throw new XmlParseError("no root element");
  const root = p.element(0);
  p.skipMisc();
  if (p.pos < p.src.length) throw new XmlParseError(`content after the root element at ${p.pos}`);
  return root;
}

export function textOf(el: XmlElement): string {
  let out = "";
  for (const child of el.children) out += typeof child === "string" ? child : textOf(child);
  return out;
}

export function elementsOf(el: XmlElement): XmlElement[] {
  return el.children.filter((c): c is XmlElement => typeof c !== "string");
}

class Parser {
  pos = 0;
  constructor(readonly src: string) {}

  at(s: string): boolean {
    return this.src.startsWith(s, this.pos);
  }

  fail(msg: string): never {
    throw new XmlParseError(`${msg} at ${this.pos}`);
  }

  skipSpace(): void {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos])) this.pos++;
  }

  skipPast(end: string): void {
    const i = this.src.indexOf(end, this.pos);
    if (i < 0) this.fail(`missing ${end}`);
    this.pos = i + end.length;
  }

  skipMisc(): void {
    for (;;) {
      this.skipSpace();
      if (this.at("<?")) this.skipPast("?>");
      else if (this.at("<!--")) this.skipPast("-->");
      else if (this.at("<!")) this.fail("DTDs are not allowed");
      else return;
    }
  }

  name(): string {
    NAME.lastIndex = this.pos;
    const m = NAME.exec(this.src);
    if (!m) this.fail("expected a name");
    this.pos += m[0].length;
    return m[0];
  }

  element(depth: number): XmlElement {
    if (depth > MAX_DEPTH) this.fail("nesting too deep");
    this.pos++; // "<"
    const el: XmlElement = { name: this.name(), attrs: {}, children: [] };
    for (;;) {
      this.skipSpace();
      if (this.at("/>")) {
        this.pos += 2;
        return el;
      }
      if (this.at(">")) {
        this.pos++;
        break;
      }
      const attr = this.name();
      if (attr in el.attrs) this.fail(`duplicate attribute ${attr}`);
      this.skipSpace();
      if (!this.at("=")) this.fail("expected =");
      this.pos++;
      this.skipSpace();
      const quote = this.src[this.pos];
      if (quote !== '"' && quote !== "'") this.fail("expected a quoted value");
      const end = this.src.indexOf(quote, this.pos + 1);
      if (end < 0) this.fail("unterminated attribute");
      const raw = this.src.slice(this.pos + 1, end);
      if (raw.includes("<")) this.fail("< in attribute value");
      el.attrs[attr] = decodeEntities(raw, this.pos);
      this.pos = end + 1;
    }
    this.content(el, depth);
    return el;
  }

  content(el: XmlElement, depth: number): void {
    for (;;) {
      if (this.pos >= this.src.length) this.fail(`unclosed <${el.name}>`);
      if (this.at("</")) {
        this.pos += 2;
        const name = this.name();
        if (name !== el.name) this.fail(`</${name}> closes <${el.name}>`);
        this.skipSpace();
        if (!this.at(">")) this.fail("expected >");
        this.pos++;
        return;
      }
      if (this.at("<!--")) this.skipPast("-->");
      else if (this.at("<![CDATA[")) {
        const end = this.src.indexOf("]]>", this.pos);
        if (end < 0) this.fail("unterminated CDATA");
        el.children.push(this.src.slice(this.pos + 9, end));
        this.pos = end + 3;
      } else if (this.at("<?")) this.skipPast("?>");
      else if (this.at("<!")) this.fail("DTDs are not allowed");
      else if (this.at("<")) el.children.push(this.element(depth + 1));
      else {
        const end = this.src.indexOf("<", this.pos);
        const stop = end < 0 ? this.src.length : end;
        el.children.push(decodeEntities(this.src.slice(this.pos, stop), this.pos));
        this.pos = stop;
      }
    }
  }
}

function decodeEntities(raw: string, at: number): string {
  if (!raw.includes("&")) return raw;
  return raw.replace(/&([^;&\s]*);?/g, (whole, ref: string) => {
    if (!whole.endsWith(";")) throw new XmlParseError(`bare & near ${at}`);
    if (ref.startsWith("#")) {
      const code = /^#\d+$/.test(ref)
        ? Number(ref.slice(1))
        : /^#x[0-9a-f]+$/i.test(ref)
          ? parseInt(ref.slice(2), 16)
          : NaN;
      if (!(code >= 1 && code <= 0x10ffff)) throw new XmlParseError(`bad character reference &${ref};`);
      return String.fromCodePoint(code);
    }
    const named = ENTITIES[ref];
    if (named === undefined) throw new XmlParseError(`unknown entity &${ref};`);
    return named;
  });
}
