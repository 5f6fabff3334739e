// The database schema, one file per job; `import * as schema` sees every table.
export * from './core';
export * from './complaints';
export * from './routing';
export * from './crm';
export * from './bot';
export * from './reports';
export * from './merge-suggestions';
export * from './imports';
