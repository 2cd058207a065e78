import { readFileSync } from "node:fs";
import { parseXml, type XmlElement } from "./xml.js";

/**
 * A validator built from the XSD file itself, for the subset of XML Schema that CAP 1.2 uses: global elements,
 * sequences, min/maxOccurs, refs, `any` by namespace, and simple types by restriction (enumeration, pattern)
 * of string, dateTime, language, anyURI, integer and decimal. Any other construct stops the service at boot,
 * so the schema can never be checked only in part.
 */
const XS = "http://www.w3.org/2001/XMLSchema";

type Simple = { kind: "simple"; base: string; enumeration?: string[]; patterns: RegExp[] };
type Complex = { kind: "complex"; sequence: Particle[] };
type Particle =
  | { kind: "element"; name: string; min: number; max: number; type: Simple | Complex }
  | { kind: "any"; namespace: string; min: number; max: number };

export interface SchemaError {
  path: string;
  message: string;
}

const BUILTIN: Record<string, RegExp | null> = {
  string: null,
  anyURI: null,
  dateTime:
    /^-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-](0\d|1[0-4]):[0-5]\d)?$/,
  language: /^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$/,
  integer: /^[+-]?\d+$/,
  decimal: /^[+-]?(\d+(\.\d*)?|\.\d+)$/,
};

function unsupported(what: string): never {
  throw new Error(`XSD construct not supported by src/cap/xsd.ts: ${what}`);
}

function occurs(e: XmlElement) {
  const min = e.attrs.minOccurs === undefined ? 1 : Number(e.attrs.minOccurs);
  const max =
    e.attrs.maxOccurs === undefined ? 1 : e.attrs.maxOccurs === "unbounded" ? Infinity : Number(e.attrs.maxOccurs);
  return { min, max };
}

function xsChildren(e: XmlElement) {
  return e.children.filter((c) => c.ns === XS && c.name !== "annotation");
}

function builtin(qname: string): Simple {
  const local = qname.replace(/^\w+:/, "");
  if (!(local in BUILTIN)) unsupported(`type ${qname}`);
  return { kind: "simple", base: local, patterns: [] };
}

function simpleType(e: XmlElement): Simple {
  const [restriction, ...rest] = xsChildren(e);
  if (!restriction || restriction.name !== "restriction" || rest.length)
    unsupported("simpleType other than one restriction");
  const t = builtin(restriction.attrs.base);
  for (const facet of xsChildren(restriction)) {
    // XSD patterns are anchored at both ends.
    if (facet.name === "enumeration") (t.enumeration ??= []).push(facet.attrs.value);
    else if (facet.name === "pattern") t.patterns.push(new RegExp(`^(?:${facet.attrs.value})$`));
    else unsupported(`facet ${facet.name}`);
  }
  return t;
}

function complexType(e: XmlElement, globals: Map<string, XmlElement>): Complex {
  const [sequence, ...rest] = xsChildren(e);
  if (!sequence || sequence.name !== "sequence" || rest.length || Object.keys(sequence.attrs).length)
    unsupported("complexType other than one plain sequence");
  return {
    kind: "complex",
    sequence: xsChildren(sequence).map((p): Particle => {
      if (p.name === "any") {
        if ((p.attrs.processContents ?? "strict") !== "lax") unsupported("strict any");
        return { kind: "any", namespace: p.attrs.namespace, ...occurs(p) };
      }
      if (p.name !== "element") unsupported(p.name);
      const decl = p.attrs.ref ? globals.get(p.attrs.ref.replace(/^\w+:/, "")) : p;
      if (!decl) unsupported(`ref ${p.attrs.ref}`);
      return { kind: "element", name: decl.attrs.name, ...occurs(p), type: elementType(decl, globals) };
    }),
  };
}

function elementType(e: XmlElement, globals: Map<string, XmlElement>): Simple | Complex {
  if (e.attrs.type) return builtin(e.attrs.type);
  const [inner, ...rest] = xsChildren(e);
  if (!inner || rest.length) unsupported(`element ${e.attrs.name} without a single type`);
  if (inner.name === "simpleType") return simpleType(inner);
  if (inner.name === "complexType") return complexType(inner, globals);
  return unsupported(inner.name);
}

export interface CompiledSchema {
  namespace: string;
  root: string;
  validate(doc: XmlElement): SchemaError[];
}

export function compileSchema(xsdText: string, rootName: string): CompiledSchema {
  const schema = parseXml(xsdText);
  if (schema.ns !== XS || schema.name !== "schema") unsupported("document that is not an xs:schema");
  if (schema.attrs.elementFormDefault !== "qualified") unsupported("unqualified local elements");
  const namespace = schema.attrs.targetNamespace;
  const globals = new Map(
    xsChildren(schema)
      .filter((c) => c.name === "element")
      .map((c) => [c.attrs.name, c]),
  );
  const rootDecl = globals.get(rootName) ?? unsupported(`missing root ${rootName}`);
  const rootType = elementType(rootDecl, globals);

  function checkSimple(t: Simple, e: XmlElement, path: string, errors: SchemaError[]) {
    if (e.children.length) errors.push({ path, message: `<${e.children[0].name}> is not allowed inside <${e.name}>` });
    // Only xs:string keeps whitespace; the other built-ins collapse it.
    const value = t.base === "string" || t.base === "anyURI" ? e.text : e.text.trim();
    const lexical = BUILTIN[t.base];
    if (lexical && !lexical.test(value))
      errors.push({ path, message: `"${value.slice(0, 40)}" is not a valid ${t.base}` });
    else if (t.enumeration && !t.enumeration.includes(value))
      errors.push({ path, message: `"${value.slice(0, 40)}" is not one of ${t.enumeration.join(", ")}` });
    else if (t.patterns.length && !t.patterns.some((p) => p.test(value)))
      errors.push({ path, message: `"${value.slice(0, 40)}" does not match the pattern ${t.patterns[0].source}` });
  }

  function checkElement(t: Simple | Complex, e: XmlElement, path: string, errors: SchemaError[]) {
    const attrs = Object.keys(e.attrs);
    if (attrs.length) errors.push({ path, message: `attribute ${attrs[0]} is not allowed` });
    if (t.kind === "simple") return checkSimple(t, e, path, errors);
    if (e.text.trim()) errors.push({ path, message: `text is not allowed directly inside <${e.name}>` });
    const kids = e.children;
    let i = 0;
    for (const p of t.sequence) {
      let n = 0;
      const matches = (c: XmlElement) =>
        p.kind === "any" ? c.ns === p.namespace : c.ns === namespace && c.name === p.name;
      while (i < kids.length && n < p.max && matches(kids[i])) {
        if (p.kind === "element")
          checkElement(p.type, kids[i], `${path}/${p.name}${p.max > 1 ? `[${n + 1}]` : ""}`, errors);
        i++;
        n++;
      }
      if (n < p.min) {
        const where =
          i < kids.length
            ? `found <${kids[i].name}> where <${p.kind === "element" ? p.name : "any"}> is expected`
            : `<${p.kind === "element" ? p.name : "any"}> is missing`;
        errors.push({ path, message: where });
        return;
      }
    }
    if (i < kids.length)
      errors.push({
        path: `${path}/${kids[i].name}`,
        message: `<${kids[i].name}> is not expected here (unknown, repeated or out of order)`,
      });
  }

  return {
    namespace,
    root: rootName,
    validate(doc) {
      const errors: SchemaError[] = [];
      if (doc.name !== rootName || doc.ns !== namespace)
        return [{ path: "/", message: `the root must be <${rootName}> in namespace ${namespace}` }];
      checkElement(rootType, doc, `/${rootName}`, errors);
      return errors;
    },
  };
}

let cap: CompiledSchema | undefined;

/** The OASIS CAP 1.2 schema shipped next to this file, compiled once. */
export function capSchema(): CompiledSchema {
  return (cap ??= compileSchema(readFileSync(new URL("./schema/CAP-v1.2.xsd", import.meta.url), "utf8"), "alert"));
}
