import type { SiteConfig } from '@facet/contracts/operators';

/** The runtime config written beside the site at deploy time (the same build serves every stage). */
export async function loadConfig(): Promise<SiteConfig> {
  const res = await fetch('/config.json', { cache: 'no-store' });
  if (!res.ok) throw new Error(`The site's configuration is missing (HTTP ${res.status}).`);
  return (await res.json()) as SiteConfig;
}
