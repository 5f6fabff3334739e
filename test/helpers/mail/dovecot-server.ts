import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const DOVECOT_INSTALL_HINT =
  'Dovecot is not installed: run `apt-get install -y dovecot-imapd` ' +
  '(the e-mail tests run against a real Dovecot IMAP server).';

/** What a test worker needs to reach the shared Dovecot; it goes through `provide`. */
export interface DovecotInfo {
  host: string;
  port: number;
  version: string;
  /** dovecot.conf of this run, for `doveadm -c`. */
  configPath: string;
  /** One passwd-file per user lives here: `<passwdDir>/<user>`. */
  passwdDir: string;
  logPath: string;
}

export interface RunningDovecot extends DovecotInfo {
  /** Stops Dovecot, waits until its master process has exited, and deletes the directory. */
  stop(): Promise<void>;
}

const binaries = ['/usr/sbin/dovecot', '/usr/bin/dovecot'];

export function findDovecot(): string | undefined {
  return binaries.find((path) => existsSync(path));
}

/** uid and gid of a local account, from /etc/passwd. */
function account(name: string): { uid: number; gid: number } | undefined {
  for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
    const [user, , uid, gid] = line.split(':');
    if (user === name && uid !== undefined && gid !== undefined) {
      return { uid: Number(uid), gid: Number(gid) };
    }
  }
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

function config(dir: string, port: number, instance: string, mail: { uid: number; gid: number }) {
  return `# Throw-away Dovecot for one test run (written by test/helpers/mail/dovecot-server.ts).
instance_name = ${instance}
protocols = imap
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
info_log_path = ${dir}/dovecot.log
ssl = no
# Loopback only: plain LOGIN and AUTH PLAIN without TLS (2.4 calls it auth_allow_cleartext).
disable_plaintext_auth = no
auth_mechanisms = plain login
# A failed login is answered at Dovecot's next 500 ms check instead of after 2 s.
auth_failure_delay = 0
# The master runs as root but will not run login processes as root: these are the users that the
# Debian package creates.
default_login_user = dovenull
default_internal_user = dovecot
default_internal_group = dovecot
# Every mailbox belongs to the system "mail" account and nothing else may be used.
first_valid_uid = ${mail.uid}
last_valid_uid = ${mail.uid}
first_valid_gid = ${mail.gid}
last_valid_gid = ${mail.gid}
mail_location = maildir:~/Maildir
# One passwd-file per user: Dovecot stats a passwd-file at most once a second, so a line appended
# to a shared file can stay invisible for up to a second; a new file is read on first lookup.
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd.d/%u
}
userdb {
  driver = passwd-file
  args = username_format=%u ${dir}/passwd.d/%u
  default_fields = uid=${mail.uid} gid=${mail.gid} home=${dir}/home/%u
}
# Every test connects from 127.0.0.1: the auth penalty (a growing delay for an IP after a failed
# login) would let one test's wrong-password check slow down every later login in the run.
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
`;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pid the watchdog shell prints first; its stdout is closed after that. */
async function firstLine(child: ChildProcess): Promise<number> {
  const stdout = child.stdout;
  if (!stdout) throw new Error('no stdout from the Dovecot watchdog');
  return new Promise((resolve, reject) => {
    let text = '';
    stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const newline = text.indexOf('\n');
      if (newline < 0) return;
      stdout.destroy();
      resolve(Number(text.slice(0, newline)));
    });
    child.once('exit', () => reject(new Error('the Dovecot watchdog exited at start')));
  });
}

/** Resolves once the server greets with "* OK", or rejects after `timeoutMs`. */
async function waitForGreeting(
  port: number,
  pid: number,
  timeoutMs: number,
  log: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!isAlive(pid)) throw new Error(`Dovecot exited at start:\n${log()}`);
    const greeted = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.setTimeout(1000, () => socket.destroy());
      socket.once('data', (data) => {
        socket.destroy();
        resolve(data.toString('latin1').startsWith('* OK'));
      });
      socket.once('error', () => resolve(false));
      socket.once('close', () => resolve(false));
    });
    if (greeted) return;
    if (Date.now() > deadline) throw new Error(`Dovecot did not answer on ${port}:\n${log()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Starts a private Dovecot IMAP server on 127.0.0.1 (a free port), with its configuration, state,
 * sockets, log and mail in one temp directory. Needs root (Dovecot's master switches to its login
 * and mail users) and the dovecot-imapd package.
 *
 * Dovecot runs in the foreground under a small shell that holds a pipe from this process: when
 * this process ends, however it ends (also SIGKILL), the pipe closes and the shell stops Dovecot
 * and deletes the directory, so an interrupted test run leaves nothing behind.
 */
export async function startDovecot(): Promise<RunningDovecot> {
  const dovecot = findDovecot();
  if (!dovecot) throw new Error(DOVECOT_INSTALL_HINT);
  if (process.getuid?.() !== 0) {
    throw new Error('The Dovecot test harness needs root: Dovecot switches to its own users.');
  }
  const mail = account('mail') ?? account('nobody');
  if (!mail) throw new Error('no "mail" or "nobody" account to own the test mailboxes');

  const { stdout: versionOut } = await run(dovecot, ['--version']);
  const version = versionOut.trim();
  // Dovecot 2.4 (Debian 13) renamed and restructured most of these settings (mail_driver,
  // passwd_file_path, auth_allow_cleartext, dovecot_config_version, ...).
  if (!version.startsWith('2.3.')) {
    throw new Error(`The test harness writes a Dovecot 2.3 configuration, but found ${version}`);
  }

  // Login, auth and mail processes run as other users and must be able to enter the directory.
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-dovecot-'));
  chmodSync(dir, 0o755);
  for (const sub of ['run', 'state', 'passwd.d', 'home'])
    mkdirSync(join(dir, sub), { mode: 0o755 });
  // Dovecot creates each user's home as the mail user.
  chownSync(join(dir, 'home'), mail.uid, mail.gid);

  const port = await freePort();
  const instance = `switchboard-test-${randomBytes(4).toString('hex')}`;
  const configPath = join(dir, 'dovecot.conf');
  await writeFile(configPath, config(dir, port, instance, mail));
  const logPath = join(dir, 'dovecot.log');

  // $1 dovecot, $2 config, $3 directory. The shell prints Dovecot's pid, then `read` waits until
  // our end of its stdin closes: on stop(), or when this process dies in any way (also SIGKILL).
  // setsid puts Dovecot and every process it forks into a process group of their own, which is
  // then killed at once: a throw-away server needs no graceful shutdown, and Dovecot's takes 1 s.
  const watchdog = [
    'setsid "$1" -F -c "$2" </dev/null >>"$3/dovecot.out" 2>&1 &',
    'pid=$!',
    'echo "$pid"',
    'read -r _',
    'kill -KILL -"$pid" 2>/dev/null',
    'wait "$pid"',
    'rm -rf "$3"',
  ].join('\n');
  const child = spawn('/bin/sh', ['-c', watchdog, 'sh', dovecot, configPath, dir], {
    stdio: ['pipe', 'pipe', 'ignore'],
    // Its own process group, so a Ctrl-C in the terminal stops the test run first, and the closed
    // pipe then stops Dovecot after the run's teardown had its chance.
    detached: true,
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    child.stdin?.end();
    await exited;
  };
  const log = () => {
    const read = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : '');
    return read(join(dir, 'dovecot.out')) + read(logPath);
  };
  try {
    const pid = await firstLine(child);
    await waitForGreeting(port, pid, 10_000, log);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    host: '127.0.0.1',
    port,
    version,
    configPath,
    passwdDir: join(dir, 'passwd.d'),
    logPath,
    stop,
  };
}
