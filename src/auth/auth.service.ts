import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import {
  agentPresence,
  authTokens,
  inboxMembers,
  teamMembers,
  users,
  type Role,
  type UserRow,
} from '../db/schema';
import { AppError } from '../errors';
import { verifyPassword, hashPassword } from './password';

export interface UserDto {
  id: string;
  email: string;
  name: string;
  role: Role;
  locale: string;
  active: boolean;
  inboxIds: string[];
  teamIds: string[];
  /** E.164; rung by the phone menu while `onDuty`. */
  phone: string | null;
  onDuty: boolean;
  /** Most open conversations routing gives them. */
  capacity: number;
  /** Their own switch: away agents get no new conversations. */
  available: boolean;
  /** Connected to the inbox app right now (any instance). */
  online: boolean;
  createdAt: string;
}

/** The signed-in user as the rest of the server sees them. */
export interface Principal {
  id: string;
  name: string;
  email: string;
  role: Role;
  tokenId: string;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

// Compared against when the e-mail is unknown, so a wrong e-mail costs the same time as a
// wrong password and does not reveal which accounts exist.
let dummyHash: Promise<string> | undefined;

export class AuthService {
  constructor(
    private readonly db: Db,
    private readonly tokenTtlHours: number,
  ) {}

  async login(
    email: string,
    password: string,
    userAgent?: string,
  ): Promise<{ token: string; user: UserDto }> {
    const [user] = await this.db
      .select()
      .from(users)
      .where(sql`lower(${users.email}) = ${email.trim().toLowerCase()}`)
      .limit(1);
    if (!user) {
      dummyHash ??= hashPassword('not-a-real-password');
      await verifyPassword(password, await dummyHash);
      throw unauthorizedLogin();
    }
    if (!(await verifyPassword(password, user.passwordHash)) || !user.active)
      throw unauthorizedLogin();
    const token = randomBytes(32).toString('base64url');
    await this.db.insert(authTokens).values({
      userId: user.id,
      tokenHash: sha256(token),
      userAgent: userAgent?.slice(0, 300) ?? null,
      expiresAt: new Date(Date.now() + this.tokenTtlHours * 3600_000),
    });
    return { token, user: await this.userDto(user) };
  }

  /** The principal a bearer token stands for, or null when it is unknown, expired or revoked. */
  async authenticate(token: string | undefined): Promise<Principal | null> {
    if (!token || token.length > 200) return null;
    const [row] = await this.db
      .select({
        tokenId: authTokens.id,
        id: users.id,
        name: users.name,
        email: users.email,
        role: users.role,
      })
      .from(authTokens)
      .innerJoin(users, eq(users.id, authTokens.userId))
      .where(
        and(
          eq(authTokens.tokenHash, sha256(token)),
          isNull(authTokens.revokedAt),
          gt(authTokens.expiresAt, new Date()),
          eq(users.active, true),
        ),
      )
      .limit(1);
    return row ?? null;
  }

  async revoke(tokenId: string): Promise<void> {
    await this.db
      .update(authTokens)
      .set({ revokedAt: new Date() })
      .where(eq(authTokens.id, tokenId));
  }

  async revokeAllFor(userId: string): Promise<void> {
    await this.db
      .update(authTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(authTokens.userId, userId), isNull(authTokens.revokedAt)));
  }

  async me(userId: string): Promise<UserDto> {
    const [row] = await this.db.select().from(users).where(eq(users.id, userId));
    if (!row) throw new AppError(401, 'unauthorized', 'sign in first');
    return this.userDto(row);
  }

  /** Whether `password` is this user's current password (for changing it). */
  async checkPassword(userId: string, password: string | undefined): Promise<boolean> {
    if (!password) return false;
    const [row] = await this.db.select().from(users).where(eq(users.id, userId));
    return row !== undefined && (await verifyPassword(password, row.passwordHash));
  }

  async userDto(user: UserRow): Promise<UserDto> {
    const [inboxRows, teamRows, online] = await Promise.all([
      this.db
        .select({ id: inboxMembers.inboxId })
        .from(inboxMembers)
        .where(eq(inboxMembers.userId, user.id)),
      this.db
        .select({ id: teamMembers.teamId })
        .from(teamMembers)
        .where(eq(teamMembers.userId, user.id)),
      this.db
        .select({ n: sql<number>`1` })
        .from(agentPresence)
        .where(
          and(
            eq(agentPresence.userId, user.id),
            sql`${agentPresence.seenAt} > now() - interval '90 seconds'`,
          ),
        )
        .limit(1),
    ]);
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      locale: user.locale,
      active: user.active,
      inboxIds: inboxRows.map((r) => r.id),
      teamIds: teamRows.map((r) => r.id),
      phone: user.phone,
      onDuty: user.onDuty,
      capacity: user.capacity,
      available: user.available,
      online: online.length > 0,
      createdAt: user.createdAt.toISOString(),
    };
  }
}

const unauthorizedLogin = () =>
  new AppError(401, 'invalid_credentials', 'e-mail or password is wrong');
