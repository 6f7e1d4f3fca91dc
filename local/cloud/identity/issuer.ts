import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import { LOGIN_CSS, loginPage } from './login-page.ts';
import { type DemoCredentials, type LocalUser, LocalUsers } from './users.ts';

export interface LocalIdentityOptions {
  readonly dataDir: string;
  readonly port: number;
  /** Where the sign-in may send the browser back (exact URLs: the operators' site's callback and home). */
  readonly redirectUris: readonly string[];
  readonly log?: (line: string) => void;
}

export interface LocalIdentity {
  readonly issuerUrl: string;
  readonly clientId: string;
  readonly jwksUri: string;
  readonly users: readonly DemoCredentials[];
  /** Tokens for a user without the browser (tests and benchmarks sign in this way: the same tokens). */
  signIn(email: string, password: string): Promise<TokenSet>;
  stop(): Promise<void>;
}

export interface TokenSet {
  readonly id_token: string;
  readonly access_token: string;
  readonly refresh_token: string;
  readonly token_type: 'Bearer';
  readonly expires_in: number;
}

const CLIENT_ID = 'facet-operators-local';
const TOKEN_SECONDS = 3600;
const CODE_SECONDS = 60;

/**
 * The local cloud's OpenID issuer, standing in for the Cognito user pool and its managed login: discovery, JWKS,
 * the authorization-code flow with PKCE (S256 only), refresh, logout. Its ID tokens carry Cognito's claims (sub,
 * email, cognito:groups, token_use, aud = the app client), signed RS256 with a key kept under the data directory,
 * so the operators' authorizer verifies them with the same code it runs on AWS.
 */
export async function startLocalIdentity(options: LocalIdentityOptions): Promise<LocalIdentity> {
  const dir = join(options.dataDir, 'identity');
  await mkdir(dir, { recursive: true });
  const users = await LocalUsers.open(dir);
  const key = await signingKey(dir);
  const codes = new Map<
    string,
    { sub: string; clientId: string; redirectUri: string; challenge: string; nonce?: string; expires: number }
  >();
  const refreshTokens = new Map<string, string>();

  const server: Server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      options.log?.(`[identity] ${String(error)}`);
      send(res, 500, { error: 'server_error' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const issuerUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : options.port}`;

  async function tokensFor(user: LocalUser, nonce?: string): Promise<TokenSet> {
    const now = Math.floor(Date.now() / 1000);
    const common = { 'cognito:groups': [...user.groups], auth_time: now };
    const sign = (claims: Record<string, unknown>, audience?: string) => {
      const jwt = new SignJWT({ ...common, ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
        .setIssuer(issuerUrl)
        .setSubject(user.sub)
        .setIssuedAt(now)
        .setExpirationTime(now + TOKEN_SECONDS);
      return (audience ? jwt.setAudience(audience) : jwt).sign(key.privateKey);
    };
    const refresh = randomBytes(32).toString('base64url');
    refreshTokens.set(refresh, user.sub);
    return {
      id_token: await sign(
        {
          email: user.email,
          email_verified: true,
          'cognito:username': user.email,
          token_use: 'id',
          ...(nonce ? { nonce } : {}),
        },
        CLIENT_ID,
      ),
      access_token: await sign({
        client_id: CLIENT_ID,
        token_use: 'access',
        scope: 'openid email profile',
        username: user.email,
      }),
      refresh_token: refresh,
      token_type: 'Bearer',
      expires_in: TOKEN_SECONDS,
    };
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', issuerUrl);
    // The SPA calls the token endpoint from its own origin (bearer tokens, no cookies: any origin may ask).
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-allow-headers', 'content-type, authorization');
    if (req.method === 'OPTIONS') return send(res, 204);
    switch (`${req.method} ${url.pathname}`) {
      case 'GET /.well-known/openid-configuration':
        return send(res, 200, {
          issuer: issuerUrl,
          authorization_endpoint: `${issuerUrl}/oauth2/authorize`,
          token_endpoint: `${issuerUrl}/oauth2/token`,
          jwks_uri: `${issuerUrl}/.well-known/jwks.json`,
          end_session_endpoint: `${issuerUrl}/logout`,
          response_types_supported: ['code'],
          grant_types_supported: ['authorization_code', 'refresh_token'],
          code_challenge_methods_supported: ['S256'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          scopes_supported: ['openid', 'email', 'profile'],
          token_endpoint_auth_methods_supported: ['none'],
        });
      case 'GET /.well-known/jwks.json':
        return send(res, 200, { keys: [key.publicJwk] });
      case 'GET /login.css':
        res.writeHead(200, { 'content-type': 'text/css; charset=utf-8' });
        return void res.end(LOGIN_CSS);
      case 'GET /oauth2/authorize':
        return authorizePage(res, Object.fromEntries(url.searchParams));
      case 'POST /oauth2/authorize':
        return authorizeSubmit(res, await form(req));
      case 'POST /oauth2/token':
        return token(res, await form(req));
      case 'GET /logout': {
        const back = url.searchParams.get('logout_uri') ?? url.searchParams.get('post_logout_redirect_uri') ?? '';
        if (!options.redirectUris.some((u) => back === u || back === `${new URL(u).origin}/`)) {
          return page(res, 400, 'That sign-out address is not allowed.');
        }
        res.writeHead(302, { location: back });
        return void res.end();
      }
      default:
        return send(res, 404, { error: 'not_found' });
    }
  }

  /** Checks what the client asked for; the problem in words, or undefined if it may go on. */
  function invalidRequest(p: Record<string, string>): string | undefined {
    if (p.client_id !== CLIENT_ID) return 'Unknown application (client_id).';
    if (!p.redirect_uri || !options.redirectUris.includes(p.redirect_uri))
      return 'That return address (redirect_uri) is not allowed.';
    if (p.response_type !== 'code') return 'Only the authorization-code flow is supported.';
    if (p.code_challenge_method !== 'S256' || !/^[A-Za-z0-9_-]{43,128}$/.test(p.code_challenge ?? '')) {
      return 'PKCE with S256 is required (code_challenge).';
    }
    return undefined;
  }

  const passThrough = (p: Record<string, string>) =>
    Object.fromEntries(
      [
        'client_id',
        'redirect_uri',
        'response_type',
        'code_challenge',
        'code_challenge_method',
        'state',
        'nonce',
        'scope',
      ]
        .filter((k) => p[k] !== undefined)
        .map((k) => [k, p[k] ?? '']),
    );

  function authorizePage(res: ServerResponse, p: Record<string, string>) {
    const problem = invalidRequest(p);
    if (problem) return page(res, 400, problem);
    res.writeHead(200, pageHeaders);
    res.end(loginPage({ hidden: passThrough(p) }));
  }

  async function authorizeSubmit(res: ServerResponse, p: Record<string, string>) {
    const problem = invalidRequest(p);
    if (problem) return page(res, 400, problem);
    const user = await users.check(p.email ?? '', p.password ?? '');
    if (!user) {
      res.writeHead(401, pageHeaders);
      return void res.end(
        loginPage({ hidden: passThrough(p), email: p.email ?? '', error: 'Wrong email or password.' }),
      );
    }
    const code = randomBytes(24).toString('base64url');
    codes.set(code, {
      sub: user.sub,
      clientId: CLIENT_ID,
      redirectUri: p.redirect_uri ?? '',
      challenge: p.code_challenge ?? '',
      ...(p.nonce ? { nonce: p.nonce } : {}),
      expires: Date.now() + CODE_SECONDS * 1000,
    });
    const back = new URL(p.redirect_uri ?? '');
    back.searchParams.set('code', code);
    if (p.state) back.searchParams.set('state', p.state);
    res.writeHead(302, { location: back.toString() });
    res.end();
  }

  async function token(res: ServerResponse, p: Record<string, string>) {
    if (p.grant_type === 'refresh_token') {
      const sub = refreshTokens.get(p.refresh_token ?? '');
      const user = sub ? users.bySub(sub) : undefined;
      if (!user || p.client_id !== CLIENT_ID) return send(res, 400, { error: 'invalid_grant' });
      return send(res, 200, await tokensFor(user));
    }
    if (p.grant_type !== 'authorization_code') return send(res, 400, { error: 'unsupported_grant_type' });
    const grant = codes.get(p.code ?? '');
    // Single use: a code is gone once presented, whatever the outcome.
    codes.delete(p.code ?? '');
    const verifier = p.code_verifier ?? '';
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    if (
      !grant ||
      grant.expires < Date.now() ||
      grant.clientId !== p.client_id ||
      grant.redirectUri !== p.redirect_uri ||
      grant.challenge !== challenge
    ) {
      return send(res, 400, { error: 'invalid_grant' });
    }
    const user = users.bySub(grant.sub);
    if (!user) return send(res, 400, { error: 'invalid_grant' });
    return send(res, 200, await tokensFor(user, grant.nonce));
  }

  return {
    issuerUrl,
    clientId: CLIENT_ID,
    jwksUri: `${issuerUrl}/.well-known/jwks.json`,
    users: users.demo,
    async signIn(email, password) {
      const user = await users.check(email, password);
      if (!user) throw new Error(`wrong password for ${email}`);
      return tokensFor(user);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const pageHeaders = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy':
    "default-src 'none'; style-src 'self'; form-action 'self' http://127.0.0.1:*; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
};

function page(res: ServerResponse, status: number, message: string) {
  res.writeHead(status, pageHeaders);
  res.end(loginPage({ hidden: {}, error: message }).replace(/<form[\s\S]*<\/form>/, ''));
}

function send(res: ServerResponse, status: number, body?: unknown) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(body === undefined ? '' : JSON.stringify(body));
}

async function form(req: IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) throw new Error('form too large');
    chunks.push(chunk as Buffer);
  }
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
}

/** The issuer's RS256 key: made on the first start, kept (private JWK) so tokens stay valid across restarts. */
async function signingKey(dir: string) {
  const file = join(dir, 'signing-key.json');
  let jwk = JSON.parse(await readFile(file, 'utf8').catch(() => 'null')) as (JWK & { kid: string }) | null;
  if (!jwk) {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    jwk = { ...(await exportJWK(privateKey)), kid: randomBytes(8).toString('hex'), alg: 'RS256', use: 'sig' };
    await writeFile(file, JSON.stringify(jwk), { mode: 0o600 });
  }
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = jwk;
  return { kid: jwk.kid, privateKey: await importJWK(jwk, 'RS256'), publicJwk };
}
