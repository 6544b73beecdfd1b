import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpecError } from '../../src/grounding/spec-error.ts';
import { specErrorText } from '../../src/grounding/spec-texts.ts';
import { downloadSlackFile, uploadedFileSchema } from '../../src/slack/slack-spec-file.ts';
import { startFakeSlackApi, type FakeSlackApi } from '../fakes/fake-slack-api.ts';

// A form's uploaded file, downloaded from the fake Slack's file host as Slack serves it.
let slack: FakeSlackApi;
beforeAll(async () => {
  slack = await startFakeSlackApi();
});
afterAll(() => slack.close());

const access = () => ({ botToken: slack.botToken, apiUrl: slack.url });
const download = (file: Record<string, unknown>, over: Partial<ReturnType<typeof access>> = {}) =>
  downloadSlackFile(uploadedFileSchema.parse(file), { ...access(), ...over }, AbortSignal.timeout(5_000));
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable('the download should have failed'),
    (error: unknown) => {
      expect(error).toBeInstanceOf(SpecError);
      return error as SpecError;
    },
  );

describe('downloadSlackFile', () => {
  it('downloads the bytes with the bot token', async () => {
    const file = slack.userUpload('openapi.json', '{"openapi":"3.1.0"}', 'application/json');
    expect(Buffer.from(await download(file)).toString()).toBe('{"openapi":"3.1.0"}');
    expect(slack.fileDownloads.at(-1)).toEqual({ fileId: file['id'], token: slack.botToken });
  });

  it('names the missing files:read scope when Slack answers with its sign-in page', async () => {
    const file = slack.userUpload('openapi.json', '{}');
    const error = await failure(download(file, { botToken: 'xoxb-without-files-read' }));
    expect(error.problem).toEqual({ kind: 'file-access', scope: 'files:read' });
    expect(specErrorText(error, 'en')).toBe(
      'The API spec (openapi.json) cannot be used: the file could not be read: the app lacks the files:read permission (an administrator reinstalls it with the current manifest).',
    );
  });

  it('never sends the token to a host other than Slack’s file host', async () => {
    const file = { ...slack.userUpload('openapi.json', '{}'), url_private_download: 'https://evil.example/f.json' };
    const before = slack.fileDownloads.length;
    expect((await failure(download(file))).problem).toEqual({ kind: 'file-host', host: 'evil.example' });
    expect(slack.fileDownloads).toHaveLength(before);
  });

  it('refuses a file over 10 MB by its declared size, and one that grows past it while downloading', async () => {
    const large = { ...slack.userUpload('huge.json', '{}'), size: 12_000_000 };
    expect((await failure(download(large))).problem).toEqual({
      kind: 'too-large',
      sizeBytes: 12_000_000,
      limitBytes: 10_000_000,
    });
    const lying = { ...slack.userUpload('lying.json', Buffer.alloc(10_000_001, 0x20)), size: 10 };
    expect((await failure(download(lying))).problem).toMatchObject({ kind: 'too-large', atLeast: true });
  });
});
