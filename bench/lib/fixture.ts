import { createSchema, type BenchDatabase, type BenchSchema } from "./database.js";
import { loadPopulation, type LoadReport } from "./load-population.js";
import { DEFAULT_SPEC, type PopulationSpec } from "./population.js";

export interface PopulationFixture {
  schema: BenchSchema;
  spec: PopulationSpec;
  load: LoadReport;
}

/** Loads the population on first use and keeps it for the other scenarios of the same run; dropped at the end. */
export function populationFixture(database: BenchDatabase, log: (m: string) => void) {
  let loading: Promise<PopulationFixture> | undefined;
  return {
    get(): Promise<PopulationFixture> {
      loading ??= (async () => {
        const schema = await createSchema(database, "population", 12);
        log(
          `loading ${DEFAULT_SPEC.participants.toLocaleString("en")} participants into ${database.kind} ${database.version} (${schema.name})`,
        );
        try {
          const load = await loadPopulation(schema.db, DEFAULT_SPEC, log);
          return { schema, spec: DEFAULT_SPEC, load };
        } catch (err) {
          await schema.drop().catch(() => {});
          throw err;
        }
      })();
      return loading;
    },
    async dispose() {
      if (!loading) return;
      const fixture = await loading.catch(() => undefined);
      loading = undefined;
      await fixture?.schema.drop();
    },
  };
}
