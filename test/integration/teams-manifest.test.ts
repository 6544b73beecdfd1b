import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { AppManifestUtils } from '@microsoft/app-manifest';
import { describe, expect, it } from 'vitest';
import { ACCENT, colorIcon, outlineIcon } from '../../scripts/teams-icons.ts';
import { REPO_ROOT } from '../helpers/prompts.ts';

const DIR = path.join(REPO_ROOT, 'manifests', 'teams');
const manifest = JSON.parse(readFileSync(path.join(DIR, 'manifest.json'), 'utf8')) as {
  $schema: string;
  manifestVersion: string;
  icons: { color: string; outline: string };
  accentColor: string;
  bots: { supportsFiles: boolean; commandLists: { commands: { title: string }[] }[] }[];
  composeExtensions: { commands: { type: string; fetchTask: boolean }[] }[];
};

/** Microsoft's published schema for the manifest's version, as bundled by @microsoft/app-manifest (offline). */
function bundledSchema(version: string): object {
  const packageJson = createRequire(import.meta.url).resolve('@microsoft/app-manifest/package.json');
  const file = path.join(
    path.dirname(packageJson),
    'build',
    'json-schemas',
    'teams',
    `v${version}`,
    'MicrosoftTeams.schema.json',
  );
  return JSON.parse(readFileSync(file, 'utf8')) as object;
}

/** Width, height and RGBA pixels of our own (unfiltered, 8-bit RGBA) PNGs. */
function decodePng(file: Buffer) {
  const width = file.readUInt32BE(16);
  const height = file.readUInt32BE(20);
  let offset = 8;
  const data: Buffer[] = [];
  while (offset < file.length) {
    const length = file.readUInt32BE(offset);
    const type = file.toString('ascii', offset + 4, offset + 8);
    if (type === 'IDAT') data.push(file.subarray(offset + 8, offset + 8 + length));
    offset += 12 + length;
  }
  const rows = inflateSync(Buffer.concat(data));
  const pixels = Array.from({ length: width * height }, (_, index) => {
    const y = Math.floor(index / width);
    const start = y * (1 + width * 4) + 1 + (index % width) * 4;
    return [...rows.subarray(start, start + 4)];
  });
  return { width, height, colourType: file.readUInt8(25), pixels };
}

describe('Teams app manifest', () => {
  it("validates against Microsoft's schema for its version", async () => {
    expect(manifest.$schema).toBe(
      `https://developer.microsoft.com/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.schema.json`,
    );
    const failures = await AppManifestUtils.validateAgainstSchema(
      manifest as never,
      bundledSchema(manifest.manifestVersion) as never,
    );
    expect(failures).toEqual([]);
  });

  it('offers the commands the bot answers, and the form as a message-extension dialog', () => {
    expect(manifest.bots[0]?.commandLists[0]?.commands.map((command) => command.title)).toEqual([
      'plan',
      'list',
      'show',
      'diff',
      'help',
    ]);
    expect(manifest.composeExtensions[0]?.commands[0]).toMatchObject({ type: 'action', fetchTask: true });
    // A spec file sent in the 1:1 chat reaches the bot only with file support on.
    expect(manifest.bots[0]?.supportsFiles).toBe(true);
  });

  it('ships the icons the code draws: colour 192×192, outline 32×32 white on transparent', () => {
    const color = readFileSync(path.join(DIR, manifest.icons.color));
    const outline = readFileSync(path.join(DIR, manifest.icons.outline));
    // Redraw with `npm run teams-icons`.
    expect(color.equals(colorIcon())).toBe(true);
    expect(outline.equals(outlineIcon())).toBe(true);
    const colorPng = decodePng(color);
    expect([colorPng.width, colorPng.height]).toEqual([192, 192]);
    expect(colorPng.pixels[0]).toEqual([...ACCENT, 255]);
    expect(manifest.accentColor.toLowerCase()).toBe(`#${ACCENT.map((c) => c.toString(16).padStart(2, '0')).join('')}`);
    const outlinePng = decodePng(outline);
    expect([outlinePng.width, outlinePng.height, outlinePng.colourType]).toEqual([32, 32, 6]);
    const kinds = new Set(outlinePng.pixels.map((pixel) => pixel.join(',')));
    expect([...kinds].sort()).toEqual(['0,0,0,0', '255,255,255,255']);
  });
});
