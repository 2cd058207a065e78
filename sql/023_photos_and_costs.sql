-- Issue 25 (the photo) and issue 26 (cost before and after).

-- One photo per alert, as it is served: re-encoded JPEG, metadata stripped, resized for phones. Deleted when the
-- alert is closed or cancelled (src/retention); the page then answers 410.
CREATE TABLE alert_photos (
  alert_id     uuid PRIMARY KEY REFERENCES alerts (id) ON DELETE CASCADE,
  image        bytea NOT NULL,
  content_type text NOT NULL CHECK (content_type IN ('image/jpeg')),
  width        integer NOT NULL CHECK (width > 0),
  height       integer NOT NULL CHECK (height > 0),
  uploaded_by  uuid REFERENCES api_keys (id),
  created_at   timestamptz NOT NULL DEFAULT now()
);

-- The link an alert SMS carries to the photo page: a random token per delivery (per attempt: a retried SMS gets a
-- new one, both keep working). Only its SHA-256 is kept; the token itself is in the SMS alone. Owned by
-- src/deliveries/photo-links.ts.
CREATE TABLE delivery_photo_links (
  token_hash     bytea PRIMARY KEY CHECK (octet_length(token_hash) = 32),
  delivery_id    bigint NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
  alert_id       uuid NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
  views          integer NOT NULL DEFAULT 0,
  first_view_at  timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX delivery_photo_links_alert ON delivery_photo_links (alert_id);
CREATE INDEX delivery_photo_links_delivery ON delivery_photo_links (delivery_id);

-- What the carrier charged, per call or message SID, once it was final (Twilio's price and price_unit; Twilio gives
-- a negative decimal: stored as the positive amount charged). Kept apart from the hot deliveries table.
CREATE TABLE carrier_prices (
  sid          text PRIMARY KEY,
  alert_id     uuid NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
  region_code  text NOT NULL REFERENCES regions (code),
  channel      text NOT NULL CHECK (channel IN ('voice', 'sms')),
  purpose      text NOT NULL CHECK (purpose IN ('alert', 'closing')),
  -- null: the carrier has no price yet (asked again later, up to a limit).
  price        numeric(12, 5) CHECK (price >= 0),
  price_unit   text CHECK (price_unit ~ '^[A-Z]{3}$'),
  price_eur    numeric(12, 5) CHECK (price_eur >= 0),
  asked        integer NOT NULL DEFAULT 0,
  next_ask_at  timestamptz NOT NULL DEFAULT now(),
  priced_at    timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX carrier_prices_alert ON carrier_prices (alert_id);
CREATE INDEX carrier_prices_unpriced ON carrier_prices (next_ask_at) WHERE price IS NULL;
CREATE INDEX carrier_prices_unit_month ON carrier_prices (region_code, created_at);
