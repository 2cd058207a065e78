/**
 * What the route schemas cannot say, for the document only: bodies and answers that are not JSON (CAP XML,
 * CSV, audio) never pass through a serializer, and examples. Keyed by operationId (operations.ts).
 */
export const NON_JSON_2XX: Record<string, object> = {
  getSightingRecording: {
    200: {
      description: "The recording, as the carrier stored it (no-store)",
      content: { "audio/mpeg": { schema: { type: "string", format: "binary" } }, "audio/wav": { schema: {} } },
    },
  },
};

export const REQUEST_BODIES: Record<string, { consumes?: string[]; body?: object }> = {
  attachAlertPhoto: {
    consumes: ["image/jpeg", "image/png"],
    body: {
      type: "string",
      format: "binary",
      description: "The photo's bytes: JPEG or PNG, at most 5 MB",
      examples: ["(the bytes of photo.jpg, as `curl -T photo.jpg -H 'Content-Type: image/jpeg'` sends them)"],
    },
  },
  submitCapMessage: {
    consumes: ["application/cap+xml", "application/xml"],
    body: {
      type: "string",
      description:
        "A CAP 1.2 `<alert>` (OASIS), at most 128 KB; no DOCTYPE, entities, XInclude or processing instructions",
      examples: [
        '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>RE05-2026-0042</identifier>' +
          "<sender>meldkamer-amsterdam@politie.nl</sender><sent>2026-12-01T21:00:00+01:00</sent>" +
          "<status>Actual</status>" +
          "<msgType>Alert</msgType><scope>Public</scope><info><language>nl-NL</language><category>Rescue</category>" +
          "<event>Vermist kind</event><urgency>Immediate</urgency><severity>Severe</severity>" +
          "<certainty>Observed</certainty>" +
          "<description>Jongen van 8 in een rode jas.</description><area><areaDesc>Dam</areaDesc>" +
          "<circle>52.3731,4.8926 2</circle></area></info></alert>",
      ],
    },
  },
};

export const EXAMPLES: Record<string, unknown[]> = {
  verifyParticipant: [{ code: "123456" }],
  updateParticipant: [
    {
      channels: ["sms"],
      locations: [
        { kind: "home", postcode: "3811 AB" },
        {
          kind: "work",
          postcode: "1012 JS",
          window: { days: ["mon", "tue", "wed", "thu", "fri"], from: "08:30", to: "17:30" },
        },
      ],
    },
  ],
  closeAlert: [{ outcome: "found", message: "Burgernet: de jongen is gevonden. Bedankt voor uw hulp." }],
  postAlertUpdate: [
    {
      notify: "reached",
      texts: {
        nl: {
          voice: "De jongen draagt nu een blauwe muts. Ziet u hem, druk dan op 1.",
          sms: "Update: de jongen (8) draagt nu een blauwe muts. Gezien? Bel 0800-0011.",
        },
      },
    },
  ],
  extendAlert: [{ area: { type: "circle", center: { lat: 52.3731, lon: 4.8926 }, radiusMeters: 4000 } }],
  createWebhook: [
    {
      url: "https://meldkamer.example.nl/burgernet/events",
      eventTypes: ["alert.progress", "sighting.created"],
      description: "Meldkamer Amsterdam dispatch system",
    },
  ],
  updateWebhook: [{ status: "active" }, { eventTypes: ["alert.created", "alert.closed", "sighting.created"] }],
  replayWebhookDeliveries: [{ since: "2026-12-01T20:00:00Z", until: "2026-12-01T21:00:00Z" }],
  updateRegion: [{ meldkamerNumber: "+31205599111" }],
  createAlert: [
    {
      kind: "missing_child",
      priority: "urgent",
      channels: ["voice", "sms"],
      texts: {
        nl: {
          voice: "Wij zoeken een jongen van acht jaar met een rode jas, vermist bij de Dam.",
          sms: "Burgernet: vermist jongen (8), rode jas, bij de Dam. Gezien? Bel 0800-0011.",
        },
      },
      area: { type: "circle", center: { lat: 52.3731, lon: 4.8926 }, radiusMeters: 2000 },
    },
    {
      // A template fills every language; the operator's own Dutch SMS replaces the template's.
      template: {
        id: "missing_child",
        fields: { name: "Sem", age: 8, clothing: "een rode jas", lastSeenPlace: "de Dam", lastSeenAt: "20:45" },
      },
      texts: {
        nl: {
          voice: "De politie zoekt Sem, acht jaar, in een rode jas. Hij is om kwart voor negen bij de Dam gezien.",
          sms: "Vermist: Sem (8), rode jas, bij de Dam. Gezien? Bel 112.",
        },
      },
      priority: "urgent",
      channels: ["voice", "sms"],
      area: { type: "circle", center: { lat: 52.3731, lon: 4.8926 }, radiusMeters: 2000 },
    },
    {
      kind: "suspect",
      channels: ["voice", "sms"],
      // Participants whose language has no text here get the Dutch one, introduced by a sentence in theirs.
      texts: {
        nl: { voice: "Let op een man met een rode jas bij het station.", sms: "Let op: man, rode jas, station." },
        de: { voice: "Achten Sie auf einen Mann mit roter Jacke am Bahnhof.", sms: "Achtung: Mann, rote Jacke." },
        ar: { voice: "انتبهوا إلى رجل يرتدي معطفاً أحمر قرب المحطة.", sms: "انتبهوا: رجل بمعطف أحمر قرب المحطة." },
      },
      area: { type: "circle", center: { lat: 52.3791, lon: 4.9003 }, radiusMeters: 800 },
    },
  ],
  previewAlert: [
    {
      template: {
        id: "vehicle",
        fields: {
          vehicleMake: "Volkswagen Golf",
          colour: "grijs",
          licencePlate: "12abc3",
          lastSeenPlace: "de Dam",
          lastSeenAt: "21:40",
        },
      },
      channels: ["voice", "sms"],
      area: { type: "circle", center: { lat: 52.3731, lon: 4.8926 }, radiusMeters: 1000 },
    },
    {
      kind: "vehicle",
      channels: ["sms"],
      texts: { nl: { voice: "Let op een grijze bestelbus.", sms: "Burgernet: let op een grijze bestelbus." } },
      area: { type: "circle", center: { lat: 52.3731, lon: 4.8926 }, radiusMeters: 1000 },
    },
    {
      kind: "suspect",
      channels: ["voice", "sms"],
      presenceCheck: false,
      texts: {
        nl: { voice: "Let op een man in een groene jas.", sms: "Burgernet: let op een man in een groene jas." },
      },
      // A GeoJSON Feature as geojson.io exports it: properties ignored.
      area: {
        type: "Feature",
        properties: { name: "Centrum" },
        geometry: {
          type: "Polygon",
          coordinates: [
            [
              [4.88, 52.36],
              [4.9, 52.36],
              [4.9, 52.38],
              [4.88, 52.38],
              [4.88, 52.36],
            ],
          ],
        },
      },
    },
  ],
  registerParticipant: [
    {
      phone: "0612345678",
      language: "nl",
      channels: ["sms", "voice"],
      locations: [{ kind: "home", postcode: "3811 AB" }],
    },
    {
      phone: "+31612345679",
      language: "uk",
      channels: ["sms"],
      locations: [{ kind: "home", postcode: "1012" }],
    },
    // Deaf or hard of hearing: never called, every alert by SMS, and the text line during an alert.
    { phone: "0612345679", channels: ["sms"], textOnly: true, locations: [{ kind: "home", postcode: "1012 JS" }] },
  ],
  replyInConversation: [{ text: "Dank u. Welke kant liep hij op?" }],
};

/** The report as JSON (the route's schema) or, with ?format=csv, one line per delivery. */
export const CSV_REPORT = {
  getAlertReport: { "text/csv": { schema: { type: "string" } } },
  // ?format=csv or Accept: text/csv: one line per group, then the totals (src/analytics/csv.ts).
  getAnalytics: {
    "text/csv": {
      schema: { type: "string" },
      example:
        "group,key,drill,alerts,targeted,reached,reachedPct,calls,answered,answeredPct,eyesInArea,tips," +
        "tipsPer1000Reached,putThrough,medianSecondsToFirstTip,closed,found,foundPct,costEur,costPerAlertEur," +
        "costPerTipEur\r\nunit,RE05,false,212,604300,471500,78,350200,240900,68.8,3120,1650,3.5,380,84.5,205,131," +
        "63.9,42398.16,199.99,25.7\r\ntotal,,false,212,604300,471500,78,350200,240900,68.8,3120,1650,3.5,380,84.5," +
        "205,131,63.9,42398.16,199.99,25.7\r\n",
    },
  },
};
