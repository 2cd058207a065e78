/** Terminal output of the command-line tools (demo, key:create, migrate, sim); the service logs with pino. */
export const print = (line: string) => void process.stdout.write(`${line}\n`);
export const printError = (line: string) => void process.stderr.write(`${line}\n`);
