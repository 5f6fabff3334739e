import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { conversations, messages } from '../db/schema';
import type { AccessService } from '../auth/access.service';
import type { Principal } from '../auth/auth.service';
import type { ConversationRepository } from '../conversations/conversation.repository';
import type { ContactService } from '../contacts/contact.service';
import { likePattern, normalizeForSearch } from './normalize';

/** Search over messages and contacts with Persian/Russian folding on both sides. */
export class SearchService {
  constructor(
    private readonly repo: ConversationRepository,
    private readonly contacts: ContactService,
    private readonly access: AccessService,
  ) {}

  async search(principal: Principal, q: string, limit: number) {
    const pattern = likePattern(normalizeForSearch(q));
    const scope = await this.access.inboxScope(principal);
    const where = [sql`${messages.searchText} like ${pattern}`];
    if (scope !== 'all') where.push(scope.length ? inArray(messages.inboxId, scope) : sql`false`);
    const [contactHits, rows] = await Promise.all([
      this.contacts.search(q, limit),
      this.repo.db
        .select({ m: messages })
        .from(messages)
        .innerJoin(conversations, eq(conversations.id, messages.conversationId))
        .where(and(...where))
        .orderBy(desc(messages.createdAt))
        .limit(limit),
    ]);
    const dtos = await this.repo.messageDtos(rows.map((r) => r.m));
    const convs = new Map(
      (await this.repo.dtos([...new Set(dtos.map((m) => m.conversationId))])).map((c) => [c.id, c]),
    );
    return {
      contacts: contactHits,
      messages: dtos.map((message) => ({
        message,
        conversation: convs.get(message.conversationId)!,
      })),
    };
  }
}
