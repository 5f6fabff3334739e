import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client';
import { botKbEntries, botTexts, type BotKbEntryRow, type BotLanguage } from '../db/schema';
import type { Principal } from '../auth/auth.service';
import type { AccessService } from '../auth/access.service';
import { audit } from '../audit/audit';
import { notFound } from '../errors';
import { BOT_LANGUAGES } from './language';
import { matchKb, type KbEntry } from './kb-match';
import { BOT_TEXT_KEYS, DEFAULT_BOT_TEXTS, mergeTexts, type BotTexts } from './texts';

/** Other instances see an admin's change within this long. */
const CACHE_MS = 10_000;

const variants = z.array(z.string().trim().min(1).max(500)).max(50);
export const kbEntryInput = z
  .object({
    questions: z
      .object({ en: variants.optional(), fa: variants.optional(), ru: variants.optional() })
      .strict(),
    answers: z
      .object({
        en: z.string().trim().max(4000).optional(),
        fa: z.string().trim().max(4000).optional(),
        ru: z.string().trim().max(4000).optional(),
      })
      .strict(),
    enabled: z.boolean().optional(),
  })
  .strict();
export type KbEntryInput = z.infer<typeof kbEntryInput>;

export const botTextsInput = z
  .object(
    Object.fromEntries(BOT_TEXT_KEYS.map((k) => [k, z.string().max(2000).nullable().optional()])),
  )
  .strict();

export interface KbEntryDto extends KbEntry {
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface BotTextsDto {
  language: BotLanguage;
  /** What the bot says now: the admin's text where set, else the shipped one. */
  texts: BotTexts;
  defaults: BotTexts;
  /** Keys an admin changed. */
  changed: string[];
}

const toDto = (r: BotKbEntryRow): KbEntryDto => ({
  id: r.id,
  questions: r.questions,
  answers: r.answers,
  enabled: r.enabled,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

/** What the bot says and knows, as admins edit it: its texts per language, the knowledge base. */
export class BotContentService {
  private textCache:
    { at: number; byLanguage: Map<BotLanguage, Record<string, string>> } | undefined;
  private kbCache: { at: number; entries: KbEntry[] } | undefined;

  constructor(
    private readonly db: Db,
    private readonly access: AccessService,
  ) {}

  /** Read before a turn's transaction (PGlite has one connection). */
  async texts(language: BotLanguage): Promise<BotTexts> {
    if (!this.textCache || Date.now() - this.textCache.at > CACHE_MS) {
      const rows = await this.db.select().from(botTexts);
      const byLanguage = new Map<BotLanguage, Record<string, string>>();
      for (const r of rows)
        byLanguage.set(r.language, { ...byLanguage.get(r.language), [r.key]: r.text });
      this.textCache = { at: Date.now(), byLanguage };
    }
    return mergeTexts(language, this.textCache.byLanguage.get(language) ?? {});
  }

  async allTexts(): Promise<Record<BotLanguage, BotTexts>> {
    const [en, fa, ru] = await Promise.all(BOT_LANGUAGES.map((l) => this.texts(l)));
    return { en: en!, fa: fa!, ru: ru! };
  }

  async kb(): Promise<KbEntry[]> {
    if (!this.kbCache || Date.now() - this.kbCache.at > CACHE_MS) {
      const rows = await this.db.select().from(botKbEntries).where(eq(botKbEntries.enabled, true));
      this.kbCache = { at: Date.now(), entries: rows.map(toDto) };
    }
    return this.kbCache.entries;
  }

  async answer(language: BotLanguage, question: string): Promise<string | null> {
    return matchKb(await this.kb(), language, question)?.answer ?? null;
  }

  // ---- admin --------------------------------------------------------------------------------

  async textsFor(principal: Principal, language: BotLanguage): Promise<BotTextsDto> {
    this.access.requireAdmin(principal);
    this.textCache = undefined;
    const rows = await this.db.select().from(botTexts).where(eq(botTexts.language, language));
    return {
      language,
      texts: await this.texts(language),
      defaults: DEFAULT_BOT_TEXTS[language],
      changed: rows.map((r) => r.key),
    };
  }

  /** A text set to null or empty goes back to the shipped one. */
  async saveTexts(
    principal: Principal,
    language: BotLanguage,
    input: Record<string, string | null | undefined>,
  ): Promise<BotTextsDto> {
    this.access.requireAdmin(principal);
    await this.db.transaction(async (tx) => {
      for (const [key, text] of Object.entries(input)) {
        if (text === undefined) continue;
        if (text === null || !text.trim())
          await tx
            .delete(botTexts)
            .where(and(eq(botTexts.key, key), eq(botTexts.language, language)));
        else
          await tx
            .insert(botTexts)
            .values({ language, key, text, updatedAt: new Date() })
            .onConflictDoUpdate({
              target: [botTexts.language, botTexts.key],
              set: { text, updatedAt: new Date() },
            });
      }
      await audit(tx, { type: 'user', id: principal.id }, 'bot_texts', principal.id, 'update', {
        language,
        keys: Object.keys(input),
      });
    });
    this.textCache = undefined;
    return this.textsFor(principal, language);
  }

  async listKb(principal: Principal): Promise<KbEntryDto[]> {
    this.access.requireAdmin(principal);
    const rows = await this.db.select().from(botKbEntries).orderBy(asc(botKbEntries.createdAt));
    return rows.map(toDto);
  }

  async saveKb(principal: Principal, id: string | null, input: KbEntryInput): Promise<KbEntryDto> {
    this.access.requireAdmin(principal);
    const values = {
      questions: input.questions,
      answers: input.answers,
      enabled: input.enabled ?? true,
      updatedAt: new Date(),
    };
    const row = await this.db.transaction(async (tx) => {
      const [saved] = id
        ? await tx.update(botKbEntries).set(values).where(eq(botKbEntries.id, id)).returning()
        : await tx.insert(botKbEntries).values(values).returning();
      if (!saved) throw notFound('knowledge-base entry');
      await audit(
        tx,
        { type: 'user', id: principal.id },
        'bot_kb_entry',
        saved.id,
        id ? 'update' : 'create',
      );
      return saved;
    });
    this.kbCache = undefined;
    return toDto(row);
  }

  async removeKb(principal: Principal, id: string): Promise<void> {
    this.access.requireAdmin(principal);
    await this.db.transaction(async (tx) => {
      const rows = await tx
        .delete(botKbEntries)
        .where(eq(botKbEntries.id, id))
        .returning({ id: botKbEntries.id });
      if (!rows.length) throw notFound('knowledge-base entry');
      await audit(tx, { type: 'user', id: principal.id }, 'bot_kb_entry', id, 'delete');
    });
    this.kbCache = undefined;
  }
}
