import { eq } from 'drizzle-orm';
import type { ChannelDefinition, EnvInboxSpec } from '../../channels/types';
import type { Tx } from '../db/client';
import { isUniqueViolation } from '../db/errors';
import type { UnitOfWork } from '../db/unit-of-work';
import type { ChannelKind, InboxHealth, InboxRow } from '../db/schema';
import type { AccessService } from '../auth/access.service';
import type { Principal } from '../auth/auth.service';
import { requireAll } from '../admin/user.service';
import { businessHours, users } from '../db/schema';
import { audit } from '../audit/audit';
import type { ChannelHost } from '../channel-host/channel-host';
import type { HealthTracker } from '../channel-host/health';
import type { FailedIngestRepository } from '../channel-host/failed-ingests';
import type { SecretBox } from '../channel-host/secret-box';
import { AppError, badRequest, conflict, notFound } from '../errors';
import { cleanDeep } from '../text/clean';
import type { InboxRepository } from './inbox.repository';

/** What a credential looks like on read: set, never shown. */
export const MASK = '••••••••';

/** An inbox as an admin sees it: credentials masked, health and webhook addresses shown. */
export interface InboxDto {
  id: string;
  name: string;
  channel: ChannelKind;
  enabled: boolean;
  botEnabled: boolean;
  /** Non-secret settings, plus each credential that is set, as `MASK`. */
  settings: Record<string, unknown>;
  /** Which credentials are set (their values are never returned). */
  credentialsSet: string[];
  routingKey: string | null;
  source: string;
  health: InboxHealth;
  /** Where the provider must send its webhooks, for the admin to paste into its console. */
  webhookUrls: string[];
  /** Inbound payloads that could not be stored and wait for an admin (retry or discard). */
  failedIngests: number;
  memberIds: string[];
  routing: 'manual' | 'round_robin';
  offlineReturnMinutes: number;
  businessHoursId: string | null;
  createdAt: string;
}

/** What any agent may know about an inbox they belong to. */
export interface InboxSummaryDto {
  id: string;
  name: string;
  channel: ChannelKind;
  enabled: boolean;
  botEnabled: boolean;
  /** What customers know the inbox as, when its channel reported it (a bot's @username). */
  address: string | null;
}

export interface InboxInput {
  name?: string | undefined;
  channel?: ChannelKind | undefined;
  enabled?: boolean | undefined;
  botEnabled?: boolean | undefined;
  settings?: Record<string, unknown> | undefined;
  memberIds?: string[] | undefined;
  routing?: 'manual' | 'round_robin' | undefined;
  offlineReturnMinutes?: number | undefined;
  businessHoursId?: string | null | undefined;
}

const VALIDATE_TIMEOUT_MS = 15_000;

/**
 * Inboxes: channel instances with their credentials. Credentials are write-only: validated by
 * the channel's schema (and against the provider where the channel can), sealed with
 * AES-256-GCM before they are stored, masked on every read, and redacted in the audit log.
 */
export class InboxService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly repo: InboxRepository,
    private readonly host: ChannelHost,
    private readonly secrets: SecretBox,
    private readonly health: HealthTracker,
    private readonly failed: FailedIngestRepository,
    private readonly access: AccessService,
    private readonly publicUrl: string,
  ) {}

  async list(principal: Principal): Promise<(InboxDto | InboxSummaryDto)[]> {
    const rows = await this.repo.all();
    if (principal.role === 'admin') return this.dtos(rows);
    const scope = await this.access.inboxScope(principal);
    return rows
      .filter((r) => scope === 'all' || scope.includes(r.id))
      .map((r) => summary(r, this.health.view(r.id, r.health)));
  }

  async get(principal: Principal, id: string): Promise<InboxDto> {
    this.access.requireAdmin(principal);
    const row = await this.repo.find(id);
    if (!row) throw notFound('inbox');
    return (await this.dtos([row]))[0]!;
  }

  async save(principal: Principal, id: string | null, raw: InboxInput): Promise<InboxDto> {
    this.access.requireAdmin(principal);
    const input = cleanDeep(raw);
    const current = id ? await this.repo.find(id) : undefined;
    if (id && !current) throw notFound('inbox');
    const channel = current?.channel ?? input.channel;
    if (!channel) throw badRequest('channel: required');
    if (current && input.channel && input.channel !== current.channel)
      throw badRequest('channel: an inbox cannot change its channel');
    const definition = this.host.definition(channel);
    if (!definition) throw badRequest(`channel: ${channel} is not available on this server`);

    const { plain, credentials, credentialsChanged } = this.splitSettings(
      definition,
      input.settings,
      current,
    );
    let name = input.name;
    if (credentialsChanged && definition.validate) {
      const suggested = await this.validateWithProvider(definition, credentials);
      // A new inbox without a name takes the provider's (a Telegram bot's name).
      if (!current && suggested?.name && !input.name) name = suggested.name;
    }
    if (!current && !name) throw badRequest('name: required');
    const routingKey = definition.routingKey?.(credentials) ?? null;
    const sealed = Object.keys(credentials).length ? this.secrets.sealJson(credentials) : null;
    const actor = { type: 'user' as const, id: principal.id };
    try {
      const row = await this.uow.run(async (tx, emit) => {
        if (input.businessHoursId)
          await requireAll(tx, businessHours, [input.businessHoursId], 'businessHoursId');
        const saved = current
          ? await this.repo.update(tx, current.id, {
              ...(name !== undefined ? { name } : {}),
              ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
              ...(input.botEnabled !== undefined ? { botEnabled: input.botEnabled } : {}),
              ...routingFields(input),
              ...(plain ? { settings: plain } : {}),
              ...(credentialsChanged ? { credentials: sealed, routingKey } : {}),
            })
          : await this.repo.insert(tx, {
              name: name!,
              channel,
              enabled: input.enabled ?? true,
              botEnabled: input.botEnabled ?? false,
              ...routingFields(input),
              settings: plain ?? {},
              credentials: sealed,
              routingKey,
            });
        if (!saved) throw notFound('inbox');
        if (input.memberIds) {
          await requireAll(tx, users, input.memberIds, 'memberIds');
          for (const userId of await this.repo.setMembers(tx, saved.id, input.memberIds))
            emit('user.access-changed', { userId });
        }
        await audit(tx, actor, 'inbox', saved.id, current ? 'update' : 'create', {
          ...(name !== undefined ? { name } : {}),
          channel,
          ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
          ...(input.botEnabled !== undefined ? { botEnabled: input.botEnabled } : {}),
          ...routingFields(input),
          ...(plain ? { settings: plain } : {}),
          // Which credentials changed, never their values.
          ...(credentialsChanged ? { credentials: Object.keys(credentials).sort() } : {}),
          ...(input.memberIds ? { memberIds: input.memberIds } : {}),
        });
        emit('inbox.changed', { inboxId: saved.id });
        return saved;
      });
      return (await this.dtos([row]))[0]!;
    } catch (err) {
      if (isUniqueViolation(err))
        throw conflict('another inbox of this channel already uses these credentials');
      throw err;
    }
  }

  /**
   * "Test connection": checks credentials with the provider (an e-mail inbox logs in to IMAP and
   * SMTP) without saving anything. With `inboxId`, masked credentials keep the stored value.
   */
  async test(
    principal: Principal,
    input: {
      channel: ChannelKind;
      settings: Record<string, unknown>;
      inboxId?: string | undefined;
    },
  ): Promise<{ ok: true; name?: string }> {
    this.access.requireAdmin(principal);
    const current = input.inboxId ? await this.repo.find(input.inboxId) : undefined;
    if (input.inboxId && !current) throw notFound('inbox');
    if (current && current.channel !== input.channel)
      throw badRequest('channel: an inbox cannot change its channel');
    const definition = this.host.definition(input.channel);
    if (!definition) throw badRequest(`channel: ${input.channel} is not available on this server`);
    const { credentials } = this.splitSettings(definition, cleanDeep(input.settings), current);
    if (!definition.validate) return { ok: true };
    const suggested = await this.validateWithProvider(definition, credentials);
    return { ok: true, ...(suggested?.name ? { name: suggested.name } : {}) };
  }

  /**
   * The inbox described by environment variables (CONTRACT): created on first start, updated
   * when the variables change. Admins become its members on creation.
   */
  async ensureFromEnv(channel: ChannelKind, spec: EnvInboxSpec): Promise<InboxRow> {
    const definition = this.host.definition(channel);
    if (!definition) throw new Error(`channel ${channel} is not defined`);
    const credentials = definition.credentials.parse(spec.credentials);
    const routingKey = definition.routingKey?.(credentials) ?? null;
    return this.uow.run(async (tx, emit) => {
      const current = await this.repo.envInbox(channel, tx);
      const sameCredentials =
        current?.credentials &&
        JSON.stringify(this.host.credentialsOf(current)) === JSON.stringify(credentials);
      const sameSettings =
        JSON.stringify({ ...current?.settings, ...spec.settings }) ===
        JSON.stringify(current?.settings ?? {});
      if (current && sameCredentials && sameSettings) return current;
      const sealed = this.secrets.sealJson(credentials);
      const row = current
        ? await this.repo.update(tx, current.id, {
            credentials: sealed,
            routingKey,
            settings: { ...current.settings, ...spec.settings },
          })
        : await this.repo.insert(tx, {
            name: spec.name,
            channel,
            source: 'env',
            settings: spec.settings ?? {},
            credentials: sealed,
            routingKey,
          });
      if (!current) await this.addAdmins(tx, row!.id);
      await audit(tx, { type: 'system' }, 'inbox', row!.id, current ? 'update' : 'create', {
        source: 'env',
        channel,
        credentials: Object.keys(credentials).sort(),
      });
      emit('inbox.changed', { inboxId: row!.id });
      return row!;
    });
  }

  private async addAdmins(tx: Tx, inboxId: string): Promise<void> {
    const admins = await tx.select({ id: users.id }).from(users).where(eq(users.role, 'admin'));
    for (const admin of admins) await this.repo.addMember(tx, inboxId, admin.id);
  }

  /**
   * `settings` of a request holds both plain settings and credentials. Credentials given as the
   * mask (or left out) keep their stored value; null removes one.
   */
  private splitSettings(
    definition: ChannelDefinition,
    settings: Record<string, unknown> | undefined,
    current: InboxRow | undefined,
  ): {
    plain: Record<string, unknown> | undefined;
    credentials: Record<string, unknown>;
    credentialsChanged: boolean;
  } {
    const stored = current ? this.host.credentialsOf(current) : {};
    if (settings === undefined) {
      const credentials = current ? stored : this.parseCredentials(definition, {});
      return { plain: undefined, credentials, credentialsChanged: !current };
    }
    const plain: Record<string, unknown> = {};
    const next: Record<string, unknown> = { ...stored };
    for (const [key, value] of Object.entries(settings)) {
      if (key === 'botEnabled') continue; // older clients sent it here; it is a field now
      if (!definition.credentialKeys.includes(key)) plain[key] = value;
      else if (value === null) delete next[key];
      else if (value !== MASK && value !== undefined) next[key] = value;
    }
    const credentials = this.parseCredentials(definition, next);
    const credentialsChanged = !current || JSON.stringify(credentials) !== JSON.stringify(stored);
    return { plain, credentials, credentialsChanged };
  }

  private parseCredentials(
    definition: ChannelDefinition,
    value: Record<string, unknown>,
  ): Record<string, unknown> {
    const parsed = definition.credentials.safeParse(value);
    if (parsed.success) return parsed.data;
    // Messages name the field and the rule, never the value given.
    throw badRequest(
      parsed.error.issues
        .map((i) => `settings.${i.path.join('.') || '(credentials)'}: ${i.message}`)
        .join('; '),
    );
  }

  private async validateWithProvider(
    definition: ChannelDefinition,
    credentials: Record<string, unknown>,
  ): Promise<{ name?: string } | void> {
    try {
      return await definition.validate!(credentials, {
        signal: AbortSignal.timeout(VALIDATE_TIMEOUT_MS),
      });
    } catch (err) {
      throw new AppError(
        400,
        'credentials_rejected',
        `${definition.displayName} did not accept these credentials: ${(err as Error).message}`,
      );
    }
  }

  private async dtos(rows: InboxRow[]): Promise<InboxDto[]> {
    const ids = rows.map((r) => r.id);
    const [members, failed] = await Promise.all([
      this.repo.members(ids),
      this.failed.openCounts(ids),
    ]);
    return rows.map((r) => {
      const definition = this.host.definition(r.channel);
      const set = r.credentials ? Object.keys(this.host.credentialsOf(r)).sort() : [];
      const webhook = definition?.webhook;
      return {
        ...summary(r, this.health.view(r.id, r.health)),
        settings: { ...r.settings, ...Object.fromEntries(set.map((k) => [k, MASK])) },
        credentialsSet: set,
        routingKey: r.routingKey,
        source: r.source,
        health: this.health.view(r.id, r.health),
        webhookUrls: webhook
          ? webhook.subPaths.map((p) =>
              [this.publicUrl, 'webhooks', webhook.provider, r.id, p].filter(Boolean).join('/'),
            )
          : [],
        failedIngests: failed.get(r.id) ?? 0,
        memberIds: members.filter((m) => m.inboxId === r.id).map((m) => m.userId),
        routing: r.routing,
        offlineReturnMinutes: r.offlineReturnMinutes,
        businessHoursId: r.businessHoursId,
        createdAt: r.createdAt.toISOString(),
      };
    });
  }
}

/** The inbox's routing and calendar, as given. */
function routingFields(input: InboxInput) {
  return {
    ...(input.routing !== undefined ? { routing: input.routing } : {}),
    ...(input.offlineReturnMinutes !== undefined
      ? { offlineReturnMinutes: input.offlineReturnMinutes }
      : {}),
    ...(input.businessHoursId !== undefined ? { businessHoursId: input.businessHoursId } : {}),
  };
}

function summary(r: InboxRow, health: InboxHealth): InboxSummaryDto {
  const address = health.detail?.['address'];
  return {
    id: r.id,
    name: r.name,
    channel: r.channel,
    enabled: r.enabled,
    botEnabled: r.botEnabled,
    address: typeof address === 'string' ? address : null,
  };
}
