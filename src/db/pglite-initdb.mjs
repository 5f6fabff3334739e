// Creates an embedded database directory and exits (see openDatabase in client.ts): initdb's
// memory leaves with this process instead of staying mapped in the server's.
import { PGlite } from '@electric-sql/pglite';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: pglite-initdb.mjs <data dir>');
  process.exit(2);
}
const db = await PGlite.create(dir);
await db.close();
