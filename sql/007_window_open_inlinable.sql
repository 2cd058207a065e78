-- window_open as in 001, but the day before is computed on the local timestamp: subtracting an interval from a
-- timestamptz is only STABLE, which kept PostgreSQL from inlining this IMMUTABLE function into the targeting
-- query (a SQL function call per location). Inlined, the time-zone arithmetic on the constant folds at planning.
CREATE OR REPLACE FUNCTION window_open(days smallint, w_from time, w_to time, at timestamptz)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN days IS NULL THEN true
    WHEN w_from <= w_to THEN
      (days & (1 << (extract(isodow FROM at AT TIME ZONE 'Europe/Amsterdam')::int - 1))) <> 0
      AND (at AT TIME ZONE 'Europe/Amsterdam')::time >= w_from
      AND (at AT TIME ZONE 'Europe/Amsterdam')::time < w_to
    ELSE
      ((days & (1 << (extract(isodow FROM at AT TIME ZONE 'Europe/Amsterdam')::int - 1))) <> 0
        AND (at AT TIME ZONE 'Europe/Amsterdam')::time >= w_from)
      OR ((days & (1 << (extract(isodow FROM (at AT TIME ZONE 'Europe/Amsterdam') - interval '1 day')::int - 1))) <> 0
        AND (at AT TIME ZONE 'Europe/Amsterdam')::time < w_to)
  END
$$;
