import { XMLParser, XMLValidator } from "fast-xml-parser";
import { isText } from "../http/strict-text.js";

/** CAP nests 5 deep (alert/info/area/geocode/value) and its XSD about 10: deeper is refused before it is walked. */
export const MAX_XML_DEPTH = 32;

/** A namespace-resolved element: what the XSD check and the CAP mapping read. */
export interface XmlElement {
  name: string;
  ns: string | null;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own text, entities decoded. */
  text: string;
}

export class XmlError extends Error {
  constructor(
    message: string,
    readonly unsafe = false,
  ) {
    super(message);
  }
}

/**
 * Refused before any parser sees the document: a DTD can declare entities (XXE, billion laughs) and XInclude
 * can pull in files or URLs. CAP needs neither.
 */
export function assertSafe(xml: string) {
  if (/<!DOCTYPE/i.test(xml)) throw new XmlError("A DOCTYPE is not allowed in CAP messages", true);
  if (/<!ENTITY/i.test(xml)) throw new XmlError("Entity declarations are not allowed in CAP messages", true);
  if (/http:\/\/www\.w3\.org\/20\d\d\/XInclude/i.test(xml) || /<[\w.-]+:include[\s/>]/i.test(xml)) {
    throw new XmlError("XInclude is not allowed in CAP messages", true);
  }
  const pis = xml.match(/<\?[\s\S]*?\?>/g) ?? [];
  if (pis.some((pi, i) => i > 0 || !/^<\?xml\s/.test(pi) || xml.indexOf(pi) !== xml.search(/\S/))) {
    throw new XmlError("Processing instructions are not allowed in CAP messages", true);
  }
  const encoding = /^\s*<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/i.exec(xml)?.[1];
  if (encoding && !/^utf-?8$/i.test(encoding)) throw new XmlError(`Encoding ${encoding} is not supported; send UTF-8`);
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: false,
  ignoreDeclaration: true,
  commentPropName: "#comment",
  maxNestedTags: MAX_XML_DEPTH,
});

type Ordered = Record<string, unknown> & { ":@"?: Record<string, string> };

function build(node: Ordered, scope: Map<string, string>): XmlElement {
  const tag = Object.keys(node).find((k) => k !== ":@")!;
  const attrs = node[":@"] ?? {};
  const inner = new Map(scope);
  const own: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "xmlns") inner.set("", v);
    else if (k.startsWith("xmlns:")) inner.set(k.slice(6), v);
    else own[k] = v;
  }
  const [prefix, local] = tag.includes(":") ? tag.split(":", 2) : ["", tag];
  if (prefix && !inner.has(prefix)) throw new XmlError(`Undeclared namespace prefix ${prefix}`);
  const children: XmlElement[] = [];
  let text = "";
  for (const child of (node[tag] as Ordered[]) ?? []) {
    if ("#text" in child) text += String(child["#text"]);
    else if ("#comment" in child) continue;
    else children.push(build(child, inner));
  }
  if (!isText(text) || !Object.values(own).every(isText))
    throw new XmlError("Text may not contain NUL or unpaired surrogate characters");
  return { name: local, ns: inner.get(prefix) ?? null, attrs: own, children, text };
}

function parseOrdered(xml: string): Ordered[] {
  try {
    return parser.parse(xml) as Ordered[];
  } catch (err) {
    if (/nested/i.test((err as Error).message))
      throw new XmlError(`Elements are nested more than ${MAX_XML_DEPTH} deep`);
    throw new XmlError("The XML could not be read");
  }
}

/** Well-formedness first (with a line number for the sender), then the element tree of the root. */
export function parseXml(xml: string): XmlElement {
  assertSafe(xml);
  const check = XMLValidator.validate(xml);
  if (check !== true) throw new XmlError(`Malformed XML at line ${check.err.line}: ${check.err.msg}`);
  const roots = parseOrdered(xml).filter((n) => !("#comment" in n) && !("#text" in n && !String(n["#text"]).trim()));
  if (roots.length !== 1) throw new XmlError("The document must have exactly one root element");
  return build(roots[0], new Map());
}
