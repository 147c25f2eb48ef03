/**
 * Draws the Teams app icons (a shield with a clock: "incidents against the clock") and writes them next to
 * the manifest template. Run once after changing the drawing, then commit the PNGs:
 *   npm run build --silent && node dist/scripts/teams-icons.js
 * Deterministic: the same code always writes the same bytes.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { encodePng } from './teams-package/png.js';

const OUT_DIR = fileURLToPath(new URL('../../adapters/chat/teams/app-package/', import.meta.url));
/** The Slack manifest's background colour, so both apps look alike. Also the manifest's accentColor. */
const NAVY = [0x1d, 0x3a, 0x5f] as const;
const WHITE = [0xff, 0xff, 0xff] as const;
/** Samples per axis per pixel: 4×4 gives smooth edges without an image library. */
const SUPERSAMPLE = 4;

type Shape = (x: number, y: number) => boolean;

/** A heater shield in [-1, 1] coordinates (y down): straight sides, then an elliptical taper to a point. */
function shield(scale: number): Shape {
  return (x, y) => {
    const [sx, sy] = [x / scale, y / scale];
    if (sy < -0.8 || sy > 0.9) return false;
    const halfWidth = sy <= 0 ? 0.7 : 0.7 * Math.sqrt(1 - (sy / 0.9) ** 2);
    return Math.abs(sx) <= halfWidth;
  };
}

const CLOCK_Y = -0.05;
const ring =
  (radius: number, thickness: number): Shape =>
  (x, y) =>
    Math.abs(Math.hypot(x, y - CLOCK_Y) - radius) <= thickness / 2;
/** Clock hands at 12 and 3 o'clock: axis-aligned bars from the centre. */
const hands =
  (long: number, short: number, thickness: number): Shape =>
  (x, y) =>
    (Math.abs(x) <= thickness / 2 && y <= CLOCK_Y + thickness / 2 && y >= CLOCK_Y - long) ||
    (Math.abs(y - CLOCK_Y) <= thickness / 2 && x >= -thickness / 2 && x <= short);

function any(...shapes: Shape[]): Shape {
  return (x, y) => shapes.some((s) => s(x, y));
}

/** Fraction of each pixel's samples that fall inside `shape`; the image spans [-1, 1] on both axes. */
function coverage(size: number, shape: Shape): Float64Array {
  const out = new Float64Array(size * size);
  const step = 2 / (size * SUPERSAMPLE);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let hits = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const x = -1 + (px * SUPERSAMPLE + sx + 0.5) * step;
          const y = -1 + (py * SUPERSAMPLE + sy + 0.5) * step;
          if (shape(x, y)) hits++;
        }
      }
      out[py * size + px] = hits / SUPERSAMPLE ** 2;
    }
  }
  return out;
}

const mix = (a: number, b: number, t: number) => Math.round(a + (b - a) * t);

/** 192×192, full bleed: navy background, white shield, navy clock on the shield. */
function colourIcon(): Buffer {
  const size = 192;
  const shieldCover = coverage(size, shield(0.78));
  const clockCover = coverage(size, any(ring(0.3, 0.08), hands(0.2, 0.15, 0.07)));
  const rgba = new Uint8Array(size * size * 4);
  for (let i = 0; i < size * size; i++) {
    const white = (shieldCover[i] ?? 0) * (1 - (clockCover[i] ?? 0));
    for (let c = 0; c < 3; c++) rgba[i * 4 + c] = mix(NAVY[c] ?? 0, WHITE[c] ?? 0, white);
    rgba[i * 4 + 3] = 255;
  }
  return encodePng(size, size, rgba);
}

/** 32×32, white on transparent (Teams' rule for outline icons): the shield's edge and the clock hands. */
function outlineIcon(): Buffer {
  const size = 32;
  const outer = shield(0.94);
  const inner = shield(0.72);
  const cover = coverage(
    size,
    any((x, y) => outer(x, y) && !inner(x, y), hands(0.32, 0.24, 0.13)),
  );
  const rgba = new Uint8Array(size * size * 4);
  for (let i = 0; i < size * size; i++) {
    rgba.set([...WHITE, Math.round((cover[i] ?? 0) * 255)], i * 4);
  }
  return encodePng(size, size, rgba);
}

writeFileSync(`${OUT_DIR}color.png`, colourIcon());
writeFileSync(`${OUT_DIR}outline.png`, outlineIcon());
process.stdout.write(`Wrote color.png and outline.png to ${OUT_DIR}\n`);
