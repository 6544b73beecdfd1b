import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';

/** The app's accent colour (manifest `accentColor`, colour icon background). */
export const ACCENT = [0x2b, 0x57, 0x97] as const;

type Paint = (x: number, y: number) => readonly [number, number, number, number];

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An RGBA PNG (8 bits per channel, no filtering): enough for two small flat icons. */
function png(size: number, paint: Paint): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(6, 9); // colour type: RGBA
  const rows = Buffer.alloc(size * (1 + size * 4));
  for (let y = 0; y < size; y++) {
    const row = y * (1 + size * 4);
    for (let x = 0; x < size; x++) rows.set(paint(x, y), row + 1 + x * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** True where the glyph is drawn in a unit square: a page with three section lines and a connector dot. */
function glyph(u: number, v: number): boolean {
  const inPage = u >= 0.22 && u <= 0.72 && v >= 0.16 && v <= 0.84;
  const border = inPage && (u < 0.28 || u > 0.66 || v < 0.22 || v > 0.78);
  const line = u >= 0.34 && u <= 0.6 && [0.34, 0.47, 0.6].some((at) => v >= at && v <= at + 0.05);
  const dot = (u - 0.76) ** 2 + (v - 0.72) ** 2 <= 0.1 ** 2;
  return border || line || dot;
}

/** Colour icon: 192×192, the white glyph on the accent colour (Teams shows it in the store and app bar). */
export function colorIcon(): Buffer {
  return png(192, (x, y) => (glyph((x + 0.5) / 192, (y + 0.5) / 192) ? [255, 255, 255, 255] : [...ACCENT, 255]));
}

/** Outline icon: 32×32, white on transparent only, as Teams requires. */
export function outlineIcon(): Buffer {
  return png(32, (x, y) => (glyph((x + 0.5) / 32, (y + 0.5) / 32) ? [255, 255, 255, 255] : [0, 0, 0, 0]));
}

// `npm run teams-icons` redraws manifests/teams' icons after a change here; the manifest test
// checks that the committed files are what this draws.
if (import.meta.main) {
  const directory = path.join(import.meta.dirname, '..', 'manifests', 'teams');
  await writeFile(path.join(directory, 'color.png'), colorIcon());
  await writeFile(path.join(directory, 'outline.png'), outlineIcon());
}
