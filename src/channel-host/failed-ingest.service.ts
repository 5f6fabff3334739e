import type { AccessService } from '../auth/access.service';
import type { Principal } from '../auth/auth.service';
import { AppError, notFound } from '../errors';
import type { ChannelHost } from './channel-host';
import {
  deserializeEvents,
  type FailedIngestDto,
  type FailedIngestRepository,
} from './failed-ingests';
import type { InboundProcessor } from './inbound';
import { webhookRequest } from './webhook-request';

/** Admins look at what could not be stored, and retry (now that a bug is fixed) or discard. */
export class FailedIngestService {
  constructor(
    private readonly repo: FailedIngestRepository,
    private readonly host: ChannelHost,
    private readonly inbound: InboundProcessor,
    private readonly access: AccessService,
  ) {}

  async list(principal: Principal, inboxId: string): Promise<FailedIngestDto[]> {
    this.access.requireAdmin(principal);
    return this.repo.list(inboxId);
  }

  async retry(principal: Principal, inboxId: string, id: string): Promise<void> {
    this.access.requireAdmin(principal);
    const row = await this.repo.open(inboxId, id);
    const live = await this.host.get(inboxId);
    if (!live) throw notFound('working channel for this inbox');
    try {
      const meta = row.meta as Record<string, unknown>;
      const events =
        meta['kind'] === 'webhook'
          ? await live.instance.parse!(
              webhookRequest({
                method: 'POST',
                subPath: String(meta['subPath'] ?? ''),
                url: String(meta['url'] ?? ''),
                headers: { 'content-type': String(meta['contentType'] ?? '') },
                query: (meta['query'] as Record<string, unknown>) ?? {},
                rawBody: row.payload,
              }),
            )
          : deserializeEvents(row.payload);
      await this.inbound.apply(live, events);
    } catch (err) {
      const error = (err as Error).message || String(err);
      await this.repo.settle(id, { error });
      throw new AppError(409, 'retry_failed', `it still cannot be stored: ${error}`);
    }
    await this.repo.settle(id, 'retried');
  }

  async discard(principal: Principal, inboxId: string, id: string): Promise<void> {
    this.access.requireAdmin(principal);
    await this.repo.open(inboxId, id);
    await this.repo.settle(id, 'discarded');
  }
}
