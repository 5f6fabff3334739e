// The Customers screen over the API: customers at risk of leaving, merge suggestions (accept,
// dismiss, undo), and starting a conversation. Shapes are the server's own (type-only imports).
import type { ChurnReason, ChurnRiskRow } from '../../../src/crm/churn.service';
import type { MergeSuggestionDto, RefreshResult } from '../../../src/crm/merge-suggestion.service';
import type { MergeReason } from '../../../src/db/schema/merge-suggestions';
import type { OutboundChannel } from '../../../src/crm/outreach.service';
import { queryString, request } from './client';
import type { Contact, Conversation } from './types';

export type { ChurnReason, MergeReason, OutboundChannel };
export type ChurnRow = ChurnRiskRow;
export type MergeSuggestion = MergeSuggestionDto;

export const OUTBOUND: readonly string[] = ['sms', 'email', 'telegram'];

export const customersApi = {
  churnRisk: (limit = 100) =>
    request<{ items: ChurnRow[] }>(`/analytics/churn-risk${queryString({ limit })}`),
  suggestions: (limit = 50) =>
    request<{ items: MergeSuggestion[] }>(`/crm/merge-suggestions${queryString({ limit })}`),
  refreshSuggestions: () =>
    request<RefreshResult>('/crm/merge-suggestions/refresh', { method: 'POST' }),
  accept: (id: string, targetId: string) =>
    request<{ contact: Contact; mergeId: string; sourceId: string }>(
      `/crm/merge-suggestions/${id}/accept`,
      { method: 'POST', body: { targetId } },
    ),
  dismiss: (id: string) =>
    request<void>(`/crm/merge-suggestions/${id}/dismiss`, { method: 'POST' }),
  undoMerge: (contactId: string, mergeId: string) =>
    request<Contact>(`/contacts/${contactId}/merges/${mergeId}/undo`, { method: 'POST' }),
  startConversation: (contactId: string, channel?: OutboundChannel) =>
    request<Conversation>(`/contacts/${contactId}/conversations`, {
      method: 'POST',
      body: channel ? { channel } : {},
    }),
};
