-- The targeting index, built so that its pages cover compact areas (issue 16). A GiST index created in one go over
-- existing rows (this migration on a live register, a restore from a dump, a REINDEX) is by default built from the
-- points sorted along a space-filling curve: fast to build, but its pages cover long overlapping strips of the map.
-- Among 3,000,000 participants a 2 km circle then read 12,604 pages of it, the ~10 km polygon 38,034. Built with
-- buffering, the rows are inserted and pages split by area, as when the register grows one registration at a time:
-- 2,034 and 6,363 pages, and the circle's count went from 43 to 26 ms (bench/RESULTS.md, targeting). The setting
-- is kept with the index, so a REINDEX or a restore builds it the same way.
DROP INDEX participant_locations_point;
CREATE INDEX participant_locations_point ON participant_locations USING gist (point(lon, lat))
  INCLUDE (participant_id, lon, lat, window_days, window_from, window_to, voice, sms, phone, language)
  WITH (buffering = on) WHERE active;
