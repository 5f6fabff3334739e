// The complaint ladder over the API: complaints and their categories, business hours, SLA
// policies, rules, outgoing webhooks. Shapes are the server's own DTOs (type-only imports).
import type {
  CategoryDto,
  ComplaintDto,
  TimelineEntry,
} from '../../../src/complaints/complaint.service';
import type { BusinessHoursDto } from '../../../src/business-hours/business-hours.service';
import type { WeeklyRange } from '../../../src/business-hours/calendar';
import type { SlaPolicyDto } from '../../../src/sla/sla-policy.service';
import type { RuleDto } from '../../../src/rules/rule.service';
import type { Action, Condition, Field, RuleEvent } from '../../../src/rules/engine';
import type {
  WebhookDeliveryDto,
  WebhookDto,
  WebhookEvent,
} from '../../../src/webhooks/webhook.service';
import { queryString, request } from './client';
import type { Page } from './types';

export type Complaint = ComplaintDto;
export type ComplaintWithTimeline = ComplaintDto & { timeline: TimelineEntry[] };
export type { TimelineEntry, WeeklyRange, RuleEvent, Field, Condition, Action, WebhookEvent };
export type Category = CategoryDto;
export type BusinessHours = BusinessHoursDto;
export type SlaPolicy = SlaPolicyDto;
export type Rule = RuleDto;
export type Webhook = WebhookDto;
export type WebhookDelivery = WebhookDeliveryDto;

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** What the rule editor may offer, as `GET /rules` describes it. */
export interface RuleVocabulary {
  events: RuleEvent[];
  fields: Record<Field, 'string' | 'number' | 'boolean' | 'list' | 'text'>;
  actions: Action['type'][];
}

export interface ComplaintOpen {
  category: string;
  severity?: Severity;
  description?: string;
  desiredOutcome?: string;
}

export interface ComplaintPatch {
  category?: string;
  severity?: Severity;
  desiredOutcome?: string | null;
  offered?: string | null;
  rootCause?: string | null;
  resolution?: string | null;
  status?: 'open' | 'resolved' | 'closed';
}

export interface BusinessHoursInput {
  name: string;
  timeZone: string;
  weekly: WeeklyRange[];
  holidays: string[];
}

export type SlaPolicyInput = Partial<
  Pick<
    SlaPolicy,
    | 'name'
    | 'businessHoursId'
    | 'firstResponseMinutes'
    | 'nextResponseMinutes'
    | 'resolutionMinutes'
    | 'appliesTo'
    | 'levelTargets'
    | 'warningPercent'
    | 'enabled'
  >
>;

export interface RuleInput {
  name: string;
  event: RuleEvent;
  conditions: { all?: Condition[]; any?: Condition[] };
  /** Checked by the server as a whole (the editor shows what it says). */
  actions: { type: Action['type']; [param: string]: unknown }[];
  enabled: boolean;
}

export interface WebhookInput {
  name?: string;
  url?: string;
  events?: WebhookEvent[];
  enabled?: boolean;
  allowPrivate?: boolean;
  rotateSecret?: boolean;
}

export const ladderApi = {
  complaint: (conversationId: string) =>
    request<ComplaintWithTimeline>(`/conversations/${conversationId}/complaint`),
  openComplaint: (conversationId: string, body: ComplaintOpen) =>
    request<Complaint>(`/conversations/${conversationId}/complaint`, { method: 'POST', body }),
  updateComplaint: (id: string, body: ComplaintPatch) =>
    request<Complaint>(`/complaints/${id}`, { method: 'PATCH', body }),

  categories: (all = false) =>
    request<Page<Category>>(`/complaint-categories${queryString({ all: all ? 'true' : '' })}`),
  createCategory: (body: { key: string; names: Category['names'] }) =>
    request<Category>('/complaint-categories', { method: 'POST', body }),
  updateCategory: (
    id: string,
    body: { names?: Category['names']; active?: boolean; position?: number },
  ) => request<Category>(`/complaint-categories/${id}`, { method: 'PATCH', body }),

  businessHours: () => request<Page<BusinessHours>>('/business-hours'),
  createBusinessHours: (body: BusinessHoursInput) =>
    request<BusinessHours>('/business-hours', { method: 'POST', body }),
  saveBusinessHours: (id: string, body: BusinessHoursInput) =>
    request<BusinessHours>(`/business-hours/${id}`, { method: 'PUT', body }),
  deleteBusinessHours: (id: string) => request<void>(`/business-hours/${id}`, { method: 'DELETE' }),
  due: (id: string, from: string, minutes: number) =>
    request<{ dueAt: string }>(`/business-hours/${id}/due${queryString({ from, minutes })}`),

  slaPolicies: () => request<Page<SlaPolicy>>('/sla-policies'),
  createSlaPolicy: (body: SlaPolicyInput & { name: string }) =>
    request<SlaPolicy>('/sla-policies', { method: 'POST', body }),
  updateSlaPolicy: (id: string, body: SlaPolicyInput) =>
    request<SlaPolicy>(`/sla-policies/${id}`, { method: 'PATCH', body }),
  deleteSlaPolicy: (id: string) => request<void>(`/sla-policies/${id}`, { method: 'DELETE' }),

  rules: () => request<Page<Rule> & { vocabulary: RuleVocabulary }>('/rules'),
  createRule: (body: RuleInput) => request<Rule>('/rules', { method: 'POST', body }),
  updateRule: (id: string, body: Partial<RuleInput>) =>
    request<Rule>(`/rules/${id}`, { method: 'PATCH', body }),
  deleteRule: (id: string) => request<void>(`/rules/${id}`, { method: 'DELETE' }),

  webhooks: () => request<Page<Webhook>>('/webhooks'),
  createWebhook: (body: WebhookInput) => request<Webhook>('/webhooks', { method: 'POST', body }),
  updateWebhook: (id: string, body: WebhookInput) =>
    request<Webhook>(`/webhooks/${id}`, { method: 'PATCH', body }),
  deleteWebhook: (id: string) => request<void>(`/webhooks/${id}`, { method: 'DELETE' }),
  deliveries: (id: string) => request<Page<WebhookDelivery>>(`/webhooks/${id}/deliveries`),
  redeliver: (id: string, deliveryId: string) =>
    request<{ ok: true }>(`/webhooks/${id}/deliveries/${deliveryId}/redeliver`, {
      method: 'POST',
    }),
};
