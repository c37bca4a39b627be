// The output over the plane with the points, and the line plots (loss, accuracy with its baseline,
// distinct units per layer), drawn on canvases.
import { diverging, css, CLASSES, GROUPS, decode } from "./colors.js";

const hex = h => [1, 3, 5].map(i => parseInt(h.slice(i, i + 2), 16));

// The decision map (P(class 1), the winning class, or the output value) under the training points
// (filled) and test points (rings).
export function drawBoundary(canvas, run, frame) {
  const ctx = canvas.getContext("2d"), W = canvas.width, H = canvas.height;
  ctx.clearRect(0, 0, W, H);
  if (!run.points) {
    ctx.fillStyle = "#666"; ctx.font = "13px sans-serif";
    ctx.fillText(`${run.inputs.length} inputs: no plane to draw`, 10, 20);
    return;
  }
  const [a, b, c, d] = run.points.domain;
  if (frame?.output) {
    const g = frame.grid, map = decode(frame.output.map), kind = frame.output.kind;
    const off = document.createElement("canvas"); off.width = g; off.height = g;
    const octx = off.getContext("2d"), img = octx.createImageData(g, g);
    for (let i = 0; i < g * g; i++) {
      let rgb;
      if (kind === "classes") {
        const base = hex(CLASSES[map[2 * i] % CLASSES.length]), conf = map[2 * i + 1] / 255;
        const t = 0.15 + 0.6 * Math.max(0, (conf - 1 / Math.max(2, run.classes)) / (1 - 1 / Math.max(2, run.classes)));
        rgb = base.map(x => Math.round(255 + (x - 255) * t));
      } else rgb = diverging(map[i] / 127.5 - 1).map(x => Math.round(255 + (x - 255) * 0.7));
      img.data.set([...rgb, 255], 4 * i);
    }
    octx.putImageData(img, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(off, 0, 0, W, H);
  }
  const px = x => (x - a) / (b - a) * W, py = y => (d - y) / (d - c) * H;
  const colour = pointColour(run);
  const draw = (pts, test) => {
    for (let i = 0; i < pts.length; i += 3) {
      ctx.beginPath(); ctx.arc(px(pts[i]), py(pts[i + 1]), test ? 3.2 : 2.6, 0, 2 * Math.PI);
      if (test) { ctx.fillStyle = "#fff"; ctx.fill(); ctx.lineWidth = 1.8; ctx.strokeStyle = colour(pts[i + 2]); ctx.stroke(); }
      else { ctx.fillStyle = colour(pts[i + 2]); ctx.fill(); ctx.lineWidth = 0.8; ctx.strokeStyle = "#fff"; ctx.stroke(); }
    }
  };
  draw(run.points.train, false);
  if (run.points.test) draw(run.points.test, true);
}

// The colour of a point's target: its class's, or for numbers the value on the orange-blue scale over the training targets' range.
export function pointColour(run) {
  if (run.target !== "numbers") return y => (run.classes > 2 ? CLASSES[y % CLASSES.length] : y >= 0.5 ? "#0877bd" : "#f59322");
  let lo = Infinity, hi = -Infinity;
  for (let i = 2; i < run.points.train.length; i += 3) { lo = Math.min(lo, run.points.train[i]); hi = Math.max(hi, run.points.train[i]); }
  return y => css(diverging(hi > lo ? 2 * (y - lo) / (hi - lo) - 1 : 0).map(c => Math.round(c * 0.85)));
}

// A plot of series over steps: each { label, colour, dash, points: [[step, value], ...], step: bool }.
export function drawLines(canvas, series, { min = null, max = null, format = v => v.toPrecision(3) } = {}) {
  const ctx = canvas.getContext("2d"), W = canvas.width, H = canvas.height, L = 42, B = 16;
  ctx.clearRect(0, 0, W, H);
  const finite = series.map(s => s.points.filter(p => p[1] !== null && Number.isFinite(p[1])));
  if (finite.every(pts => pts.length === 0)) return;
  // Loops, not Math.max(...points): a long run has 20,000 points a series.
  let x0 = 0, x1 = 1, lo = Infinity, hi = -Infinity;
  for (const pts of finite) for (const p of pts) { x1 = Math.max(x1, p[0]); lo = Math.min(lo, p[1]); hi = Math.max(hi, p[1]); }
  let y0 = min ?? lo, y1 = max ?? hi;
  if (y1 - y0 < 1e-12) { y0 -= 0.5; y1 += 0.5; }
  const X = x => L + (x - x0) / (x1 - x0) * (W - L - 6), Y = y => 4 + (y1 - y) / (y1 - y0) * (H - B - 8);
  ctx.strokeStyle = "#bbb"; ctx.lineWidth = 1;
  ctx.beginPath(); ctx.moveTo(L, 4); ctx.lineTo(L, H - B - 4); ctx.lineTo(W - 6, H - B - 4); ctx.stroke();
  ctx.fillStyle = "#666"; ctx.font = "10px sans-serif";
  ctx.fillText(format(y1), 2, 12); ctx.fillText(format(y0), 2, H - B - 4);
  ctx.fillText("step 0", L, H - 3);
  const last = `step ${x1}`; ctx.fillText(last, W - 6 - ctx.measureText(last).width, H - 3);
  series.forEach((s, k) => {
    const pts = s.step ? finite[k] : thin(finite[k], X);
    if (pts.length === 0) return;
    ctx.strokeStyle = s.colour; ctx.lineWidth = s.width ?? 1.6; ctx.setLineDash(s.dash ?? []);
    ctx.beginPath();
    pts.forEach((p, i) => {
      if (i === 0) ctx.moveTo(X(p[0]), Y(p[1]));
      else if (s.step) { ctx.lineTo(X(p[0]), Y(pts[i - 1][1])); ctx.lineTo(X(p[0]), Y(p[1])); }
      else ctx.lineTo(X(p[0]), Y(p[1]));
    });
    if (s.step || s.extend) ctx.lineTo(X(x1), Y(pts[pts.length - 1][1]));
    ctx.stroke();
    ctx.setLineDash([]);
    for (const m of s.marks ?? []) {
      ctx.fillStyle = s.colour; ctx.beginPath(); ctx.arc(X(m[0]), Y(m[1]), 3.5, 0, 2 * Math.PI); ctx.fill();
    }
  });
}

// A line of more points than the plot has pixels drawn from fewer: in each pixel column its first, lowest,
// highest and last point, which draw the same picture (a long run's 20,000 points took 100 ms a frame).
function thin(points, X) {
  if (points.length < 1000) return points;
  const out = [];
  let column = null, bucket = [];
  const flush = () => {
    if (bucket.length === 0) return;
    let low = bucket[0], high = bucket[0];
    for (const p of bucket) { if (p[1] < low[1]) low = p; if (p[1] > high[1]) high = p; }
    for (const p of [bucket[0], low, high, bucket[bucket.length - 1]].sort((a, b) => a[0] - b[0])) if (out[out.length - 1] !== p) out.push(p);
    bucket = [];
  };
  for (const p of points) {
    const c = Math.round(X(p[0]));
    if (c !== column) { flush(); column = c; }
    bucket.push(p);
  }
  flush();
  return out;
}

export const LAYER_COLOURS = GROUPS;
