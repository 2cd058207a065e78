/** `'a', 'b'` for an SQL IN list. Only ever given the project's own constants (statuses), never input. */
export const sqlList = (values: readonly string[]) => values.map((v) => `'${v}'`).join(", ");
