// CSV order imports and accepted currencies over the API. Shapes are the server's own DTOs.
import type { OrderImportDto } from '../../../src/crm/order-import.service';
import type { CurrencySettings } from '../../../src/crm/currency-settings';
import type { ColumnMapping } from '../../../src/crm/csv';
import { queryString, request } from './client';

export type { OrderImportDto, CurrencySettings, ColumnMapping };
export type ImportStatus = OrderImportDto['status'];

export const importsApi = {
  upload: (file: Blob, fileName: string) =>
    request<OrderImportDto>(`/orders/imports${queryString({ fileName })}`, {
      method: 'POST',
      raw: file,
      contentType: 'text/csv',
    }),
  start: (id: string, mapping: ColumnMapping, dryRun: boolean) =>
    request<OrderImportDto>(`/orders/imports/${id}/start`, {
      method: 'POST',
      body: { mapping, dryRun },
    }),
  get: (id: string) => request<OrderImportDto>(`/orders/imports/${id}`),
  list: () => request<{ items: OrderImportDto[] }>('/orders/imports'),
  crmSettings: () => request<{ currency: string }>('/crm/settings'),
  currencies: () => request<CurrencySettings>('/crm/currencies'),
  saveCurrencies: (body: CurrencySettings) =>
    request<CurrencySettings>('/crm/currencies', { method: 'PUT', body }),
};

/** Still moving: the screen polls until the job is done with it. */
export const isRunning = (status: ImportStatus) =>
  status === 'queued' || status === 'validating' || status === 'importing';
