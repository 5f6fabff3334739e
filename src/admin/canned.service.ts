import { asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { isUniqueViolation } from '../db/errors';
import { cannedResponses } from '../db/schema';
import type { Principal } from '../auth/auth.service';
import type { AccessService } from '../auth/access.service';
import type { ConversationRepository } from '../conversations/conversation.repository';
import { conflict, notFound } from '../errors';

/** Canned responses (and the labels in use), shared by all agents. */
export class CannedService {
  constructor(
    private readonly db: Db,
    private readonly conversations: ConversationRepository,
    private readonly access: AccessService,
  ) {}

  async listCanned() {
    const rows = await this.db
      .select()
      .from(cannedResponses)
      .orderBy(asc(cannedResponses.shortCode));
    return rows.map((r) => ({ id: r.id, shortCode: r.shortCode, content: r.content }));
  }

  async saveCanned(
    principal: Principal,
    id: string | null,
    input: { shortCode?: string | undefined; content?: string | undefined },
  ) {
    this.access.requireAdmin(principal);
    try {
      const set = {
        ...(input.shortCode ? { shortCode: input.shortCode } : {}),
        ...(input.content ? { content: input.content } : {}),
      };
      const [row] = id
        ? Object.keys(set).length
          ? await this.db
              .update(cannedResponses)
              .set(set)
              .where(eq(cannedResponses.id, id))
              .returning()
          : await this.db.select().from(cannedResponses).where(eq(cannedResponses.id, id))
        : await this.db
            .insert(cannedResponses)
            .values({ shortCode: input.shortCode ?? '', content: input.content ?? '' })
            .returning();
      if (!row) throw notFound('canned response');
      return { id: row.id, shortCode: row.shortCode, content: row.content };
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict('a canned response with this short code exists');
      throw err;
    }
  }

  async deleteCanned(principal: Principal, id: string): Promise<void> {
    this.access.requireAdmin(principal);
    const rows = await this.db
      .delete(cannedResponses)
      .where(eq(cannedResponses.id, id))
      .returning();
    if (!rows.length) throw notFound('canned response');
  }

  async labels(): Promise<string[]> {
    return this.conversations.labels();
  }
}
