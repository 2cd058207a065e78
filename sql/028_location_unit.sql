-- A police unit per location (issue 28). An operator's area that crosses the unit's boundary is clipped to it: until
-- now every location in the area was tested against the unit's polygons: 39–49 ms of a ~12 km polygon among
-- 3,000,000 participants (bench/RESULTS.md, issue 28). The unit is now found once, when the location is written or
-- moves, and targeting compares it.

-- The units' boundaries (src/geo/data, CBS 2025), one row per outline with its holes. Written only by
-- src/regions/unit-boundaries.ts, after the migrations, from the file the service ships with; `police_unit_source`
-- keeps the file's fingerprint, so that a new file re-assigns every location once.
CREATE TABLE police_unit_parts (
  code     text NOT NULL,
  part     integer NOT NULL,
  box      box NOT NULL,
  outline  polygon NOT NULL,
  holes    polygon[] NOT NULL DEFAULT '{}',
  PRIMARY KEY (code, part)
);
CREATE TABLE police_unit_source (
  only_row     boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  fingerprint  text NOT NULL
);

-- The unit a point lies in, with the operators' clip test (`<@` on the same polygons). NULL where that is not one
-- unit: outside every unit, or where two simplified (~100 m) boundaries overlap; targeting then tests the point
-- against the polygons as before, so the answer is the same either way.
CREATE FUNCTION unit_at(p_lon float8, p_lat float8) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN count(DISTINCT u.code) = 1 THEN min(u.code) END
    FROM police_unit_parts u
   WHERE point(p_lon, p_lat) <@ u.box
     AND point(p_lon, p_lat) <@ u.outline
     AND NOT EXISTS (SELECT 1 FROM unnest(u.holes) h WHERE point(p_lon, p_lat) <@ h)
$$;

-- NULL until the boundaries are loaded (the step after the migrations) and for rows bulk-loaded with triggers off.
ALTER TABLE participant_locations ADD COLUMN unit text;

-- Every writer of a location (registration, a move by SMS or call, the demo, a bulk load) gets its unit here.
CREATE FUNCTION location_unit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.unit := unit_at(NEW.lon, NEW.lat);
  RETURN NEW;
END $$;

CREATE TRIGGER participant_locations_unit BEFORE INSERT OR UPDATE OF lat, lon ON participant_locations
  FOR EACH ROW EXECUTE FUNCTION location_unit();

-- Targeting reads only the index (sql/008, sql/017, sql/021): it carries the unit too, built the same way.
DROP INDEX participant_locations_point;
CREATE INDEX participant_locations_point ON participant_locations USING gist (point(lon, lat))
  INCLUDE (participant_id, lon, lat, window_days, window_from, window_to, voice, sms, phone, language, text_only, unit)
  WITH (buffering = on) WHERE active;
