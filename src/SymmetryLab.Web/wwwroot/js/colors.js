// One colour scale for every value the page draws: orange for negative, white for 0, blue for positive.
export const POS = [8, 119, 189], NEG = [245, 147, 34];

// v in [-1, 1] (clipped) to [r, g, b].
export function diverging(v) {
  const t = Math.max(-1, Math.min(1, v));
  const c = t >= 0 ? POS : NEG, a = Math.abs(t);
  return [255 + (c[0] - 255) * a, 255 + (c[1] - 255) * a, 255 + (c[2] - 255) * a].map(Math.round);
}

export const css = rgb => `rgb(${rgb[0]},${rgb[1]},${rgb[2]})`;

// Colours of groups of identical units (none of them blue or orange, which mean signs).
export const GROUPS = ["#7b1fa2", "#2e7d32", "#c2185b", "#00838f", "#6d4c41", "#455a64", "#9e9d24", "#283593", "#ad1457", "#1b5e20"];

// Class colours for more than two classes (class 0 and 1 of a binary target are orange and blue).
export const CLASSES = ["#f59322", "#0877bd", "#2e7d32", "#c2185b", "#6d4c41", "#7b1fa2", "#00838f", "#9e9d24", "#455a64", "#e53935"];

export function decode(base64) {
  const s = atob(base64), bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  return bytes;
}

// The colour of each byte of a heat map, computed once (a frame of a large network paints 100,000 cells).
const SIGNED = Array.from({ length: 256 }, (_, b) => diverging(b / 127.5 - 1));

// A grid of bytes (0 = -1, 255 = +1) into a canvas of grid x grid pixels.
export function paintSigned(canvas, bytes, offset, grid) {
  if (canvas.width !== grid) { canvas.width = grid; canvas.height = grid; }
  const ctx = canvas.getContext("2d"), img = ctx.createImageData(grid, grid);
  for (let i = 0; i < grid * grid; i++) {
    const [r, g, b] = SIGNED[bytes[offset + i]];
    img.data[4 * i] = r; img.data[4 * i + 1] = g; img.data[4 * i + 2] = b; img.data[4 * i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

// Values (e.g. a unit's incoming weights from an image's pixels) as an image, scaled by the largest |value|.
export function paintValues(canvas, values, height, width) {
  if (canvas.width !== width || canvas.height !== height) { canvas.width = width; canvas.height = height; }
  let max = 0;
  for (const v of values) max = Math.max(max, Math.abs(v));
  const ctx = canvas.getContext("2d"), img = ctx.createImageData(width, height);
  for (let i = 0; i < width * height; i++) {
    const [r, g, b] = diverging(max > 0 ? values[i] / max : 0);
    img.data[4 * i] = r; img.data[4 * i + 1] = g; img.data[4 * i + 2] = b; img.data[4 * i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}
