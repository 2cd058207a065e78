/**
 * The vehicle and clothing words two tips can share. A bare "auto" or "jas" is in nearly every tip of an alert,
 * so a descriptor is an item together with its colour ("rode jas" and "red jacket" are both `red jacket`) or a car
 * make on its own ("een Golf", "VW"). Dutch and English; adjectives inflected as Dutch writes them.
 */
// Stryker disable StringLiteral,ObjectLiteral: vocabularies; each word is data that the tests' examples sample.
const COLOURS: Record<string, string> = {
  rood: "red",
  rode: "red",
  red: "red",
  blauw: "blue",
  blauwe: "blue",
  blue: "blue",
  donkerblauw: "blue",
  donkerblauwe: "blue",
  lichtblauw: "blue",
  lichtblauwe: "blue",
  zwart: "black",
  zwarte: "black",
  black: "black",
  wit: "white",
  witte: "white",
  white: "white",
  grijs: "grey",
  grijze: "grey",
  grey: "grey",
  gray: "grey",
  groen: "green",
  groene: "green",
  green: "green",
  geel: "yellow",
  gele: "yellow",
  yellow: "yellow",
  oranje: "orange",
  orange: "orange",
  bruin: "brown",
  bruine: "brown",
  brown: "brown",
  paars: "purple",
  paarse: "purple",
  purple: "purple",
  roze: "pink",
  pink: "pink",
  zilver: "silver",
  zilveren: "silver",
  zilverkleurig: "silver",
  zilverkleurige: "silver",
  silver: "silver",
  beige: "beige",
};

const ITEMS: Record<string, string> = {
  // vehicles
  auto: "car",
  wagen: "car",
  personenauto: "car",
  car: "car",
  bus: "van",
  busje: "van",
  bestelbus: "van",
  bestelbusje: "van",
  bestelauto: "van",
  bestelwagen: "van",
  van: "van",
  scooter: "scooter",
  brommer: "scooter",
  snorfiets: "scooter",
  moped: "scooter",
  fiets: "bike",
  bike: "bike",
  bicycle: "bike",
  "e-bike": "bike",
  motor: "motorbike",
  motorfiets: "motorbike",
  motorbike: "motorbike",
  motorcycle: "motorbike",
  vrachtwagen: "truck",
  truck: "truck",
  lorry: "truck",
  // clothing
  jas: "jacket",
  jack: "jacket",
  jasje: "jacket",
  jacket: "jacket",
  coat: "jacket",
  jassen: "jacket",
  hoodie: "hoodie",
  capuchontrui: "hoodie",
  trui: "sweater",
  sweater: "sweater",
  vest: "sweater",
  jumper: "sweater",
  pet: "cap",
  cap: "cap",
  petje: "cap",
  muts: "beanie",
  beanie: "beanie",
  hat: "beanie",
  broek: "trousers",
  trousers: "trousers",
  pants: "trousers",
  joggingbroek: "trousers",
  spijkerbroek: "jeans",
  jeans: "jeans",
  shirt: "shirt",
  "t-shirt": "shirt",
  shirtje: "shirt",
  jurk: "dress",
  dress: "dress",
  rok: "skirt",
  skirt: "skirt",
  schoenen: "shoes",
  sneakers: "shoes",
  shoes: "shoes",
  laarzen: "boots",
  boots: "boots",
  tas: "bag",
  bag: "bag",
  rugzak: "backpack",
  backpack: "backpack",
};

/** Makes and models a witness names on their own: each is a descriptor without a colour. */
const MAKES: Record<string, string> = {
  volkswagen: "volkswagen",
  vw: "volkswagen",
  golf: "volkswagen",
  polo: "volkswagen",
  bmw: "bmw",
  audi: "audi",
  mercedes: "mercedes",
  "mercedes-benz": "mercedes",
  benz: "mercedes",
  toyota: "toyota",
  opel: "opel",
  ford: "ford",
  renault: "renault",
  peugeot: "peugeot",
  citroen: "citroen",
  tesla: "tesla",
  volvo: "volvo",
  kia: "kia",
  hyundai: "hyundai",
  fiat: "fiat",
  skoda: "skoda",
  seat: "seat",
  nissan: "nissan",
  mazda: "mazda",
  honda: "honda",
  suzuki: "suzuki",
  yamaha: "yamaha",
  vespa: "vespa",
};

// Stryker restore StringLiteral,ObjectLiteral

const fold = (word: string) =>
  word
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();

// The tables' own words only: a tip saying "constructor" must not find Object.prototype's.
const lookUp = (table: Record<string, string>, word: string | undefined) =>
  word !== undefined && Object.hasOwn(table, word) ? table[word] : undefined;

/** `red jacket`, `volkswagen`: what the text names, each once, in the order named. */
export function descriptorsIn(text: string | null | undefined): string[] {
  if (!text) return [];
  // Empty strings (only at either end) name nothing.
  const words = fold(text).split(/[^a-z0-9-]+/);
  const found = new Set<string>();
  words.forEach((word, i) => {
    const make = lookUp(MAKES, word);
    if (make) found.add(make);
    const item = lookUp(ITEMS, word);
    if (!item) return;
    // The colour stands just before the item, or one word before it ("rode leren jas", "red leather jacket").
    const colour = lookUp(COLOURS, words[i - 1]) ?? lookUp(COLOURS, words[i - 2]);
    if (colour) found.add(`${colour} ${item}`);
  });
  return [...found];
}
