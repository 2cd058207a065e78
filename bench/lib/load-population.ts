import pg from "pg";
import type { Db } from "../../src/db/db.js";
import { copyFrom } from "./copy.js";
import {
  DEFAULT_SPEC,
  LOCATION_COLUMNS,
  PARTICIPANT_COLUMNS,
  copyChunks,
  splitPairs,
  type PopulationSpec,
} from "./population.js";

export interface LoadReport {
  participants: number;
  locations: number;
  copySeconds: number;
  unitSeconds: number;
  indexSeconds: number;
  analyzeSeconds: number;
}

const TABLES = ["participants", "participant_locations"];
const seconds = (t0: number) => (performance.now() - t0) / 1000;

/**
 * Bulk load as one would for a migration of the old register: the secondary indexes and the foreign key are
 * taken off (their definitions read back from the catalogue, so they are exactly the migrations' ones), both
 * tables are filled by COPY on two connections at once, then indexes and key are rebuilt and the tables analysed.
 */
export async function loadPopulation(
  db: Db,
  spec: PopulationSpec = DEFAULT_SPEC,
  log: (m: string) => void = () => {},
): Promise<LoadReport> {
  const indexes = (
    await db.query<{ name: string; def: string }>(
      `SELECT i.indexname AS name, i.indexdef AS def
       FROM pg_indexes i
      WHERE i.schemaname = current_schema() AND i.tablename = ANY ($1)
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                         WHERE c.conname = i.indexname AND c.connamespace = current_schema()::regnamespace)`,
      [TABLES],
    )
  ).rows;
  const foreignKeys = (
    await db.query<{ table: string; name: string; def: string }>(
      `SELECT c.conrelid::regclass::text AS table, c.conname AS name, pg_get_constraintdef(c.oid) AS def
       FROM pg_constraint c
      WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace
        AND c.conrelid::regclass::text = ANY ($1)`,
      [TABLES],
    )
  ).rows;
  for (const fk of foreignKeys) await db.query(`ALTER TABLE ${fk.table} DROP CONSTRAINT ${fk.name}`);
  for (const ix of indexes) await db.query(`DROP INDEX ${ix.name}`);

  let t0 = performance.now();
  // COPY needs pg's own client: two sessions on the database's session connection, outside the pool.
  const [a, b] = [new pg.Client(db.sessionConnection), new pg.Client(db.sessionConnection)];
  await Promise.all([a.connect(), b.connect()]);
  let participants: number;
  let locations: number;
  try {
    const [pChunks, lChunks] = splitPairs(copyChunks(spec));
    // The locations carry the participant's flags themselves, so their copy trigger (a participant lookup per
    // row, and the participants are not committed yet) is off for this session, as in a bulk migration.
    await b.query("SET session_replication_role = replica");
    [participants, locations] = await Promise.all([
      copyFrom(a, `COPY participants ${PARTICIPANT_COLUMNS} FROM STDIN`, pChunks),
      copyFrom(b, `COPY participant_locations ${LOCATION_COLUMNS} FROM STDIN`, lChunks),
    ]);
    await b.query("SET session_replication_role = DEFAULT");
  } finally {
    await Promise.all([a.end(), b.end()]);
  }
  const copySeconds = seconds(t0);
  log(`COPY ${participants} participants + ${locations} locations in ${copySeconds.toFixed(1)} s`);

  t0 = performance.now();
  // The unit trigger was off too: each location's police unit is found in one pass (sql/028), as a bulk migration
  // of the old register would, while the indexes are still off.
  await db.query("UPDATE participant_locations SET unit = unit_at(lon, lat)");
  const unitSeconds = seconds(t0);
  log(`police units of ${locations} locations found in ${unitSeconds.toFixed(1)} s`);

  t0 = performance.now();
  // Two at a time: the machine has two cores, and the tables are independent.
  const pending = [...indexes.map((ix) => ix.def)];
  await Promise.all(
    [0, 1].map(async () => {
      for (let def = pending.shift(); def; def = pending.shift()) await db.query(def);
    }),
  );
  for (const fk of foreignKeys) await db.query(`ALTER TABLE ${fk.table} ADD CONSTRAINT ${fk.name} ${fk.def}`);
  const indexSeconds = seconds(t0);
  log(`${indexes.length} indexes and ${foreignKeys.length} foreign key rebuilt in ${indexSeconds.toFixed(1)} s`);

  t0 = performance.now();
  // VACUUM as autovacuum does after a bulk insert: it marks the pages all-visible, which index-only scans need.
  await db.query("VACUUM ANALYZE participants");
  await db.query("VACUUM ANALYZE participant_locations");
  const analyzeSeconds = seconds(t0);
  return { participants, locations, copySeconds, unitSeconds, indexSeconds, analyzeSeconds };
}
