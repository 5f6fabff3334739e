import { getTableColumns, type InferSelectModel, type Table } from 'drizzle-orm';

/**
 * A row that PostgreSQL returned as JSON (`to_jsonb(row)`: column names, timestamps as
 * strings) → the same shape a Drizzle select returns, using the table's own column list.
 */
export function rowFromJson<T extends Table>(
  table: T,
  json: Record<string, unknown>,
): InferSelectModel<T> {
  const row: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = json[column.name] ?? null;
    row[key] =
      value !== null && column.columnType === 'PgTimestamp' ? new Date(value as string) : value;
  }
  return row as InferSelectModel<T>;
}
