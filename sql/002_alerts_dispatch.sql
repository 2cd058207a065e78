-- Alerts, their deliveries (one per participant, channel and purpose), the shared carrier pace, call events.

CREATE TABLE alerts (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  region_code          text NOT NULL REFERENCES regions (code),
  kind                 text NOT NULL CHECK (kind IN ('suspect', 'vehicle', 'missing_person', 'missing_child', 'other')),
  priority             text NOT NULL CHECK (priority IN ('normal', 'urgent')),
  status               text NOT NULL CHECK (status IN ('draft', 'dispatching', 'active', 'closed', 'cancelled')),
  texts                jsonb NOT NULL,          -- { nl: { voice, sms }, en?: { voice, sms } }
  area                 jsonb NOT NULL,          -- as given: circle, polygon or municipality
  area_polygon         jsonb,                   -- resolved rings for polygon and municipality areas
  center_lat           double precision NOT NULL,
  center_lon           double precision NOT NULL,
  channels             text[] NOT NULL CHECK (channels <@ ARRAY['voice', 'sms'] AND cardinality(channels) > 0),
  expires_at           timestamptz NOT NULL,
  created_by           uuid REFERENCES api_keys (id),
  idempotency_key      text,
  request_hash         text,
  targeting            jsonb NOT NULL DEFAULT '{}',   -- counts at targeting time (selected, skipped by reason)
  outcome              text CHECK (outcome IN ('found', 'not_found', 'other')),
  closing_message      text,
  source               text NOT NULL DEFAULT 'api' CHECK (source IN ('api', 'cap')),
  cap_sender           text,
  cap_identifier       text,
  created_at           timestamptz NOT NULL DEFAULT now(),
  dispatch_started_at  timestamptz,
  dispatched_at        timestamptz,
  closed_at            timestamptz,
  cancelled_at         timestamptz,
  UNIQUE (created_by, idempotency_key),
  UNIQUE (cap_sender, cap_identifier)
);
CREATE INDEX alerts_region_created ON alerts (region_code, created_at DESC);
CREATE INDEX alerts_live ON alerts (status) WHERE status IN ('dispatching', 'active');

CREATE TABLE deliveries (
  id                bigserial PRIMARY KEY,
  alert_id          uuid NOT NULL REFERENCES alerts (id),
  participant_id    uuid NOT NULL REFERENCES participants (id),
  phone             text NOT NULL,
  channel           text NOT NULL CHECK (channel IN ('voice', 'sms')),
  purpose           text NOT NULL CHECK (purpose IN ('alert', 'closing')),
  language          text NOT NULL CHECK (language IN ('nl', 'en')),
  urgent            boolean NOT NULL DEFAULT false,
  rank              integer NOT NULL,         -- nearest first within the alert
  distance_m        integer NOT NULL,
  -- pending: waiting for its turn; claimed: leased, waiting for a pace slot; sending: request in flight;
  -- submitted/ringing/in_progress: at the carrier; the rest are final.
  status            text NOT NULL DEFAULT 'pending' CHECK (status IN (
                      'pending', 'claimed', 'sending', 'submitted', 'ringing', 'in_progress',
                      'answered', 'voicemail', 'delivered', 'sent', 'busy', 'no_answer', 'failed', 'canceled', 'undelivered')),
  attempts          integer NOT NULL DEFAULT 0,
  next_attempt_at   timestamptz NOT NULL DEFAULT now(),
  lease_owner       text,
  lease_expires_at  timestamptz,
  sending_at        timestamptz,
  provider_sid      text,
  answered_by       text,
  last_error_code   integer,
  last_error        text,
  seq               integer NOT NULL DEFAULT -1,  -- highest status-callback SequenceNumber applied
  answered_at       timestamptz,
  completed_at      timestamptz,
  duration_s        integer,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (alert_id, participant_id, channel, purpose),
  UNIQUE (alert_id, phone, channel, purpose)
);
-- The claim query: due pending work, urgent first, nearest first across alerts (fair share by rank).
CREATE INDEX deliveries_due ON deliveries (channel, urgent DESC, rank, next_attempt_at) WHERE status = 'pending';
CREATE INDEX deliveries_leased ON deliveries (lease_expires_at) WHERE status IN ('claimed', 'sending');
CREATE INDEX deliveries_alert_status ON deliveries (alert_id, status);
CREATE UNIQUE INDEX deliveries_sid ON deliveries (provider_sid) WHERE provider_sid IS NOT NULL;
CREATE INDEX deliveries_phone ON deliveries (phone, created_at DESC);

-- The carrier pace shared by every instance: the next free start slot per channel.
CREATE TABLE pace (
  channel    text PRIMARY KEY CHECK (channel IN ('voice', 'sms')),
  next_slot  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO pace (channel) VALUES ('voice'), ('sms');

-- Every Twilio callback as received, append-only.
CREATE TABLE call_events (
  id             bigserial PRIMARY KEY,
  received_at    timestamptz NOT NULL DEFAULT now(),
  delivery_id    bigint REFERENCES deliveries (id),
  provider_sid   text,
  kind           text NOT NULL,               -- call-status, sms-status, amd, ...
  status         text,
  params         jsonb NOT NULL
);
CREATE INDEX call_events_delivery ON call_events (delivery_id);
