-- Issue 27: a restore must not call anyone twice. One row: the identity of the database the service last ran on
-- (cluster, timeline, database, this table), and whether the deliveries of live alerts still have to be checked
-- against the carrier's records before anything is sent (src/restore/). A restored dump, a point-in-time recovery or
-- a promoted replica shows another identity; `npm run restored` asks for the check by hand.
CREATE TABLE restore_guard (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  -- NULL until the first instance starts: nothing to compare with yet.
  identity text,
  check_required_since timestamptz,
  check_reason text,
  -- The instance doing the check, until its lease ends (another takes over after a crash).
  check_owner text,
  check_lease_until timestamptz,
  last_checked_at timestamptz
);
INSERT INTO restore_guard (id) VALUES (true);
