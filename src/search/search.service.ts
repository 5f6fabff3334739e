import type { AccessService } from '../auth/access.service';
import type { Principal } from '../auth/auth.service';
import type { ConversationRepository } from '../conversations/conversation.repository';
import type { MessageRepository } from '../conversations/message.repository';
import type { ContactService } from '../contacts/contact.service';
import { likePattern, normalizeForSearch } from './normalize';

/** Search over messages and contacts with Persian/Russian folding, within what one may see. */
export class SearchService {
  constructor(
    private readonly conversations: ConversationRepository,
    private readonly messages: MessageRepository,
    private readonly contacts: ContactService,
    private readonly access: AccessService,
  ) {}

  async search(principal: Principal, q: string, limit: number) {
    const pattern = likePattern(normalizeForSearch(q));
    const scope = await this.access.inboxScope(principal);
    const [contactHits, rows] = await Promise.all([
      this.contacts.search(principal, q, limit),
      this.messages.search(pattern, scope, limit),
    ]);
    const dtos = await this.messages.dtos(rows);
    const convs = new Map(
      (await this.conversations.dtos([...new Set(dtos.map((m) => m.conversationId))])).map((c) => [
        c.id,
        c,
      ]),
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
