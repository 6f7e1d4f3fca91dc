import type { SiteConfig } from '@facet/contracts/operators';
import { type User, UserManager, WebStorageStateStore } from 'oidc-client-ts';

/**
 * Sign-in with the authorization-code flow and PKCE against the user pool (the local issuer in the local cloud):
 * the ID token is what the operators' API verifies (issuer, app client, expiry, group). Tokens live in this tab's
 * session storage only.
 */
export class Auth {
  private readonly manager: UserManager;
  private user: User | null = null;

  constructor(private readonly config: SiteConfig) {
    const origin = window.location.origin;
    this.manager = new UserManager({
      authority: config.authority,
      client_id: config.clientId,
      redirect_uri: `${origin}/callback`,
      post_logout_redirect_uri: `${origin}/`,
      response_type: 'code',
      scope: 'openid email profile',
      loadUserInfo: false,
      automaticSilentRenew: false,
      userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    });
  }

  /** Finishes a sign-in coming back to /callback, or finds the session; undefined means a redirect is under way. */
  async start(): Promise<User | undefined> {
    if (window.location.pathname === '/callback') {
      const user = await this.manager.signinRedirectCallback().catch(() => undefined);
      if (!user) {
        // A stale or replayed callback (back button, a second tab): start a fresh sign-in.
        window.history.replaceState(null, '', '/');
        await this.manager.signinRedirect({ state: { returnTo: '/' } });
        return undefined;
      }
      const back = (user.state as { returnTo?: string } | undefined)?.returnTo ?? '/';
      window.history.replaceState(null, '', back.startsWith('/') ? back : '/');
      this.user = user;
      return user;
    }
    const user = await this.manager.getUser();
    if (user && !user.expired) {
      this.user = user;
      return user;
    }
    return (await this.renew()) ?? undefined;
  }

  /** A fresh ID token: the stored one, else a refresh, else a new sign-in (the page leaves). */
  async idToken(): Promise<string> {
    if (this.user && !this.user.expired && this.user.id_token) return this.user.id_token;
    const user = await this.renew();
    if (!user?.id_token) throw new Error('Signing in again …');
    return user.id_token;
  }

  /** After a 401: the token was refused (expired, revoked pool, another issuer). */
  async refused(): Promise<void> {
    this.user = null;
    await this.manager.removeUser();
    await this.renew();
  }

  async signOut(): Promise<void> {
    await this.manager.removeUser();
    const url = new URL(this.config.logoutUrl ?? `${this.config.authority}/logout`);
    if (!url.searchParams.has('logout_uri')) url.searchParams.set('logout_uri', `${window.location.origin}/`);
    if (!url.searchParams.has('client_id')) url.searchParams.set('client_id', this.config.clientId);
    window.location.assign(url.toString());
  }

  private async renew(): Promise<User | null> {
    const stored = await this.manager.getUser();
    if (stored?.refresh_token) {
      try {
        this.user = await this.manager.signinSilent();
        if (this.user) return this.user;
      } catch {
        // The refresh token is spent or revoked: sign in again.
      }
    }
    await this.manager.signinRedirect({ state: { returnTo: window.location.pathname + window.location.search } });
    return null;
  }
}
