// The orders import over HTTP, as the Settings screen drives it: upload, start, wait.
import type { ImportRowError } from '../../src/db/schema';
import { request, waitFor, type Api } from './server';

export type RowError = ImportRowError;

export interface OrderImport {
  id: string;
  status: string;
  dryRun: boolean;
  header: string[];
  proposedMapping: Record<string, string>;
  totalRows: number;
  rowsDone: number;
  errorCount: number;
  errors?: RowError[];
  created: number | null;
  updated: number | null;
  unchanged: number | null;
  contactsCreated: number | null;
  failure: string | null;
  error?: { code: string; message: string };
}

/** `at()` names the server and admin when called (tests set them up in beforeAll). */
export function orderImports(at: () => { url: string; admin: Api }) {
  const upload = (csv: string, token = at().admin.token) =>
    request<OrderImport>(at().url, 'POST', '/api/v1/orders/imports?fileName=orders.csv', {
      token,
      raw: csv,
      headers: { 'content-type': 'text/csv' },
    });
  const start = (id: string, mapping: Record<string, string>, dryRun = false) =>
    at().admin.send<OrderImport>('POST', `/api/v1/orders/imports/${id}/start`, {
      mapping,
      dryRun,
    });
  const finished = (id: string, ms = 60_000) =>
    waitFor(
      async () => (await at().admin.get<OrderImport>(`/api/v1/orders/imports/${id}`)).body,
      (i) => ['checked', 'done', 'failed'].includes(i.status),
      ms,
    );
  return { upload, start, finished };
}
