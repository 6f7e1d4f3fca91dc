import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors.ts';
import { StaticResolver } from '../testing/webhook-fakes.ts';
import { assertDeliverableUrl, isPublicAddress } from './target-url.ts';

const resolver = new StaticResolver({
  'hooks.example.com': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
  'internal.example.com': ['10.1.2.3'],
  'mixed.example.com': ['93.184.215.14', '127.0.0.1'],
  'metadata.example.com': ['169.254.169.254'],
});
const strict = { allowPrivate: false, resolver };

async function refusal(url: string, policy = strict) {
  const error = await assertDeliverableUrl(url, policy).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, url).toBeInstanceOf(DomainError);
  return (error as DomainError).fields[0];
}

describe('webhook target URLs', () => {
  it('accepts https to a host that resolves only to public addresses', async () => {
    const url = await assertDeliverableUrl('https://hooks.example.com/facet?x=1', strict);
    expect(url.href).toBe('https://hooks.example.com/facet?x=1');
  });

  it('refuses http, credentials in the URL and hosts that do not resolve', async () => {
    expect(await refusal('http://hooks.example.com/')).toMatchObject({ path: 'url', message: 'must use https' });
    expect((await refusal('https://user:pw@hooks.example.com/'))?.message).toMatch(/credentials/);
    expect((await refusal('https://nowhere.example.com/'))?.message).toMatch(/does not resolve/);
    expect((await refusal('not a url'))?.message).toMatch(/absolute URL/);
  });

  it('refuses loopback, private, link-local (metadata) addresses, literal or behind a name', async () => {
    for (const url of [
      'https://127.0.0.1/',
      'https://[::1]/',
      'https://10.0.0.8/',
      'https://192.168.1.1/',
      'https://172.20.0.1/',
      'https://[fd00::1]/',
      'https://[fe80::1]/',
      'https://[::ffff:127.0.0.1]/',
      'https://internal.example.com/',
      'https://mixed.example.com/',
      'https://metadata.example.com/latest/meta-data',
      'https://0.0.0.0/',
    ])
      expect((await refusal(url))?.message, url).toMatch(/public address|link-local or metadata/);
  });

  it('allows http and private targets when the local cloud says so', async () => {
    const local = { allowPrivate: true, resolver };
    await expect(assertDeliverableUrl('http://127.0.0.1:4799/hooks/a', local)).resolves.toBeInstanceOf(URL);
    expect((await refusal('ftp://127.0.0.1/', local))?.message).toMatch(/https/);
    expect((await refusal('http://a:b@127.0.0.1/', local))?.message).toMatch(/credentials/);
  });

  it('refuses link-local and metadata addresses even where private targets are allowed', async () => {
    const local = { allowPrivate: true, resolver };
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://[fe80::1]/',
      'http://[fd00:ec2::254]/',
      'http://[::ffff:169.254.169.254]/',
      'http://0.0.0.0:4501/hooks/a',
      'https://metadata.example.com/latest/meta-data',
    ])
      expect((await refusal(url, local))?.message, url).toMatch(/link-local or metadata/);
  });

  it('classifies addresses', () => {
    expect(isPublicAddress('8.8.8.8')).toBe(true);
    expect(isPublicAddress('2001:4860:4860::8888')).toBe(true);
    expect(isPublicAddress('100.64.0.1')).toBe(false);
    expect(isPublicAddress('::ffff:7f00:1')).toBe(false);
    expect(isPublicAddress('64:ff9b::10.0.0.1')).toBe(false);
    expect(isPublicAddress('not-an-ip')).toBe(false);
  });
});
