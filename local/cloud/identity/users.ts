import { randomBytes, randomUUID, scrypt, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

/** A user of the local issuer: like a Cognito user, with groups; the password kept only as a scrypt hash. */
export interface LocalUser {
  readonly sub: string;
  readonly email: string;
  readonly groups: readonly string[];
  readonly salt: string;
  readonly hash: string;
}

/** The demo users of `npm start`: one per kind of person the sign-in must tell apart. */
const DEMO_USERS = [
  { email: 'operator@facet.local', groups: ['operators'] },
  { email: 'admin@facet.local', groups: ['operators', 'admins'] },
  { email: 'customer@facet.local', groups: ['customers'] },
] as const;

export interface DemoCredentials {
  readonly email: string;
  readonly password: string;
  readonly groups: readonly string[];
}

const hashOf = async (password: string, salt: Buffer) => (await scryptAsync(password, salt, 32)).toString('base64');

/**
 * The users, kept under the local cloud's data directory. On the first start the demo users get random passwords;
 * their hashes go to users.json and the passwords themselves to the demo credentials file `npm start` prints from
 * (like the demo API keys), so they stay the same across restarts.
 */
export class LocalUsers {
  private constructor(
    private readonly users: LocalUser[],
    readonly demo: readonly DemoCredentials[],
  ) {}

  static async open(dir: string): Promise<LocalUsers> {
    await mkdir(dir, { recursive: true });
    const usersFile = join(dir, 'users.json');
    const demoFile = join(dir, 'demo-users.json');
    let users = JSON.parse(await readFile(usersFile, 'utf8').catch(() => '[]')) as LocalUser[];
    let demo = JSON.parse(await readFile(demoFile, 'utf8').catch(() => '[]')) as DemoCredentials[];
    for (const wanted of DEMO_USERS) {
      if (users.some((u) => u.email === wanted.email) && demo.some((d) => d.email === wanted.email)) continue;
      const password = randomBytes(9).toString('base64url');
      const salt = randomBytes(16);
      const groups = [...wanted.groups];
      const user = {
        sub: randomUUID(),
        email: wanted.email,
        groups,
        salt: salt.toString('base64'),
        hash: await hashOf(password, salt),
      };
      users = [...users.filter((u) => u.email !== wanted.email), user];
      demo = [...demo.filter((d) => d.email !== wanted.email), { email: wanted.email, password, groups }];
    }
    await writeFile(usersFile, JSON.stringify(users, null, 2));
    await writeFile(demoFile, JSON.stringify(demo, null, 2));
    return new LocalUsers(users, demo);
  }

  /** The user if the password is theirs (constant-time comparison); undefined otherwise. */
  async check(email: string, password: string): Promise<LocalUser | undefined> {
    const user = this.users.find((u) => u.email.toLowerCase() === email.trim().toLowerCase());
    // Hash even for an unknown email, so the answer takes as long either way.
    const salt = user ? Buffer.from(user.salt, 'base64') : randomBytes(16);
    const hash = Buffer.from(await hashOf(password, salt), 'base64');
    const stored = user ? Buffer.from(user.hash, 'base64') : randomBytes(32);
    return user && timingSafeEqual(hash, stored) ? user : undefined;
  }

  bySub(sub: string): LocalUser | undefined {
    return this.users.find((u) => u.sub === sub);
  }
}
