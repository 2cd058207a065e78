/** The shapes of templates/definitions.json and templates/<language>.json (checked by load.ts at boot). */

export type FieldType = "text" | "integer" | "time" | "licencePlate";

export interface FieldDef {
  type: FieldType;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
}

export interface TemplateDef {
  id: string;
  kind: "suspect" | "vehicle" | "missing_person" | "missing_child" | "other";
  required: string[];
  optional: string[];
}

export interface Definitions {
  fields: Record<string, FieldDef>;
  templates: TemplateDef[];
}

export interface Sentences {
  title: string;
  voice: string;
  sms: string;
}

export interface LanguageFile {
  /** BCP 47, as the voice scripts name theirs ("nl-NL"); the alert's texts use its first two letters ("nl"). */
  language: string;
  fields: Record<string, string>;
  templates: Record<string, Sentences>;
}

export interface Templates {
  definitions: Definitions;
  /** Keyed by the alert texts' language key ("nl", "en"). */
  languages: Map<string, LanguageFile>;
}
