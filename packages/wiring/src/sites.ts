/**
 * The web sites: where each one's build lives, which API prefix its origin forwards to the gateway, and the
 * security headers it is served with — the same on CloudFront (a response headers policy) and in the local cloud's
 * site server, so a browser test catches what the policy would block on AWS.
 */
export const sites = {
  operators: {
    /** Built by Vite into this folder (relative to the repository root). */
    dist: 'web/operators/dist',
    /** Paths the site's own origin forwards to the API (same origin: no CORS, the token never leaves it). */
    apiPrefixes: ['/ops/'],
  },
} as const;

export type SiteName = keyof typeof sites;

/** The browser-side runtime config, served at /config.json (written at deploy time on AWS). */
export interface SiteConfig {
  /** Base of the API calls; '' means this origin. */
  readonly apiUrl: string;
  /** The OIDC issuer (Cognito user pool, or the local issuer). */
  readonly authority: string;
  readonly clientId: string;
  /** Where sign-out sends the browser (Cognito's /logout, or the local issuer's). */
  readonly logoutUrl: string;
}

export interface SiteSources {
  /** Origins the page fetches from besides itself: the token endpoint, the issuer's discovery, the models bucket. */
  readonly connect: readonly string[];
  /** Origins of images (presigned thumbnails). */
  readonly img: readonly string[];
}

/** Headers for every response of a site: a strict CSP (no inline script, no framing) and the usual hardening. */
export function siteSecurityHeaders(sources: SiteSources) {
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `connect-src ${['self', ...sources.connect].map(quoteSelf).join(' ')}`,
    `img-src ${['self', 'data:', 'blob:', ...sources.img].map(quoteSelf).join(' ')}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join('; ');
  return {
    contentSecurityPolicy: csp,
    frameOptions: 'DENY',
    referrerPolicy: 'strict-origin-when-cross-origin',
    /** Two years, subdomains included (served on HTTPS only). */
    strictTransportSecondsMaxAge: 63_072_000,
  } as const;
}

const quoteSelf = (source: string) => (source === 'self' ? "'self'" : source);

/** The same headers as a plain map, for a Node server. */
export function siteSecurityHeaderMap(sources: SiteSources): Record<string, string> {
  const h = siteSecurityHeaders(sources);
  return {
    'content-security-policy': h.contentSecurityPolicy,
    'x-content-type-options': 'nosniff',
    'x-frame-options': h.frameOptions,
    'referrer-policy': h.referrerPolicy,
  };
}
