// The summary report over the API (GET /api/v1/reports/summary). The shape is the server's own
// (type-only import).
import type { SummaryReport } from '../../../src/crm/report.service';
import { queryString, request } from './client';

export type { SummaryReport };

export interface ReportQuery {
  /** Instants (ISO 8601): the window is [from, to). */
  from: string;
  to: string;
  /** IANA zone the hour-of-day buckets are in. */
  timeZone: string;
  teamId?: string | undefined;
  inboxId?: string | undefined;
  assigneeId?: string | undefined;
  businessHoursId?: string | undefined;
}

export const reportsApi = {
  summary: (q: ReportQuery, signal?: AbortSignal) =>
    request<SummaryReport>(`/reports/summary${queryString({ ...q })}`, signal ? { signal } : {}),
};
