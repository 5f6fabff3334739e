import { z } from 'zod';

const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .url()
    .refine((v) => protocols.some((p) => v.startsWith(`${p}:`)), {
      message: `must start with ${protocols.map((p) => `${p}://`).join(' or ')}`,
    })
    .optional();

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: optionalUrl(['postgres', 'postgresql']),
  /** Connections per instance to the PostgreSQL server. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(500).default(20),
  /** Embedded database only: shared_buffers, the bulk of its idle memory. */
  PGLITE_SHARED_BUFFERS: z
    .string()
    .regex(/^[1-9][0-9]{0,5}(kB|MB|GB)$/, 'a size such as 32MB')
    .default('32MB'),
  /** Web visitors who never wrote: their contacts (from before lazy sessions) go after this. */
  ANONYMOUS_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  PUBLIC_URL: z.string().url().optional(),
  ADMIN_EMAIL: z.string().email().optional(),
  ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Secret for visitor tokens; generated and kept in DATA_DIR when unset. */
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  TOKEN_TTL_HOURS: z.coerce
    .number()
    .int()
    .positive()
    .default(24 * 14),
  LOGIN_RATE_LIMIT: z.coerce.number().int().positive().default(10),
  DELIVERY_MAX_ATTEMPTS: z.coerce.number().int().positive().default(8),
  /** How often the job worker looks for due work (deliveries, timers, media); it is also woken
   *  at once when work is written. */
  DELIVERY_POLL_MS: z.coerce.number().int().positive().default(1000),
  /** A claimed job is held this long between heartbeats; a dead worker's jobs return after it. */
  JOB_LEASE_SECONDS: z.coerce.number().positive().default(60),
  /** Receivers (long polling, IMAP): one instance per inbox holds a lease this long. */
  RECEIVER_LEASE_SECONDS: z.coerce.number().positive().default(20),
  RECEIVER_TICK_SECONDS: z.coerce.number().positive().default(5),
  /** Largest file taken from a customer (bigger ones are kept as a note on the message). */
  MEDIA_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(25 * 1024 * 1024),
  /** Key that seals channel credentials and server secrets in the database. */
  SECRET_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  REDIS_URL: optionalUrl(['redis', 'rediss']),
  TELEGRAM_BOT_TOKEN: z.string().optional(),
  TELEGRAM_WEBHOOK_SECRET: z.string().optional(),
  TELEGRAM_API_ROOT: z.string().url().default('https://api.telegram.org'),
  TWILIO_ACCOUNT_SID: z.string().optional(),
  TWILIO_AUTH_TOKEN: z.string().optional(),
  TWILIO_PHONE_NUMBER: z.string().optional(),
  TWILIO_API_BASE: z.string().url().optional(),
  IMAP_URL: optionalUrl(['imap', 'imaps']),
  SMTP_URL: optionalUrl(['smtp', 'smtps']),
  EMAIL_FROM: z.string().optional(),
  /**
   * Supervisors' notifications by e-mail (a rule's "notify supervisors"): the SMTP server and
   * sender; without NOTIFY_SMTP_URL the e-mail inbox's SMTP_URL and EMAIL_FROM are used, and with
   * neither, notifications stay in the app.
   */
  NOTIFY_SMTP_URL: optionalUrl(['smtp', 'smtps']),
  NOTIFY_FROM: z.string().optional(),
  /**
   * Bot Framework channel (`POST /api/messages`): the bot's app registration. Unset: emulator
   * mode, where only loopback callers are served and only a loopback serviceUrl is answered.
   */
  MICROSOFT_APP_ID: z.string().optional(),
  MICROSOFT_APP_PASSWORD: z.string().optional(),
  MICROSOFT_APP_TENANT_ID: z.string().optional(),
  /** Days after a resolve in which the customer's answer counts ("solved?" and the rating). */
  CONFIRMATION_DAYS: z.coerce.number().positive().max(90).default(7),
  /** How often an instance refreshes its agents' presence (a dead instance's expire in 90 s). */
  PRESENCE_HEARTBEAT_SECONDS: z.coerce.number().positive().max(60).default(20),
});

export type Config = z.infer<typeof schema> & { publicUrl: string };

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the environment once, at start-up; nothing else reads process.env. */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  // An empty variable means "unset" (as in `.env.example` copies), not "set to nothing".
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  const c = parsed.data;
  const problems: string[] = [];
  const pairs: [string, string | undefined, string, string | undefined][] = [
    ['ADMIN_EMAIL', c.ADMIN_EMAIL, 'ADMIN_PASSWORD', c.ADMIN_PASSWORD],
    ['MICROSOFT_APP_ID', c.MICROSOFT_APP_ID, 'MICROSOFT_APP_PASSWORD', c.MICROSOFT_APP_PASSWORD],
  ];
  for (const [a, av, b, bv] of pairs) {
    if ((av === undefined) !== (bv === undefined))
      problems.push(`${av ? b : a}: must be set together with ${av ? a : b}`);
  }
  if (problems.length) throw new ConfigError(problems);
  return { ...c, publicUrl: (c.PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/$/, '') };
}
