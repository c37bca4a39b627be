// The network drawn live: one node per unit (for data on a plane, its output over the plane as a heat
// map), edges coloured by sign and sized by magnitude (weights or the last step's gradients), identical
// units sharing a colour and a letter, and per layer "k distinct of n" and the step its symmetry broke.
import { diverging, css, GROUPS, decode, paintSigned, paintValues } from "./colors.js";

const MANY_INPUTS = 24, MAX_EDGES = 6000;

export class NetworkView {
  constructor(container, canvas, callbacks) {
    this.box = container; this.canvas = canvas; this.cb = callbacks;
    this.mode = "weights"; this.selected = null; this.run = null; this.frame = null;
    canvas.addEventListener("click", e => this.clickEdge(e));
    new ResizeObserver(() => { if (this.run) { this.layout(); if (this.frame) this.update(this.frame); } }).observe(container);
  }

  setRun(run) {
    this.run = run;
    this.layout();
  }

  setMode(mode) { this.mode = mode; if (this.frame) this.drawEdges(this.frame); }

  select(ref) {
    this.selected = ref;
    for (const n of this.box.querySelectorAll(".node")) n.classList.toggle("selected", n.dataset.ref === ref);
    if (this.frame) this.drawEdges(this.frame);
  }

  // Columns: the inputs, then each layer. Positions are kept for hit tests.
  layout() {
    const run = this.run, box = this.box;
    for (const el of [...box.querySelectorAll(".node, .layer-head")]) el.remove();
    const widths0 = run.shape.split("-").map(Number);
    // Room for every unit: wide layers make the panel taller.
    box.style.height = `${Math.min(1000, Math.max(460, 70 + 26 * Math.max(...widths0.slice(1), Math.min(widths0[0], MANY_INPUTS))))}px`;
    const width = box.clientWidth, height = box.clientHeight;
    this.canvas.width = width * devicePixelRatio; this.canvas.height = height * devicePixelRatio;
    const widths = run.shape.split("-").map(Number);
    const inputsShown = widths[0] > MANY_INPUTS ? 1 : widths[0];
    const counts = [inputsShown, ...widths.slice(1)];
    const top = 64, usable = height - top - 10;
    const most = Math.max(...counts);
    const size = Math.max(8, Math.min(42, Math.floor(usable / most) - 6));
    const left = 80, right = 40;
    this.cols = counts.map((n, c) => {
      const x = left + (counts.length === 1 ? 0 : c * (width - left - right) / (counts.length - 1));
      const gap = Math.min(size + 14, usable / n);
      const y0 = top + (usable - gap * (n - 1)) / 2;
      return Array.from({ length: n }, (_, k) => ({ x, y: n === 1 ? top + usable / 2 : y0 + k * gap }));
    });
    this.size = size;
    this.nodes = [];
    // Input nodes.
    const inputs = this.cols[0].map((p, i) => {
      const name = inputsShown === 1 && widths[0] > 1 ? `${widths[0]} inputs` : run.inputs[i];
      return this.node(p, size, "input", null, name);
    });
    this.nodes.push(inputs);
    for (let l = 1; l < counts.length; l++) {
      const layer = this.cols[l].map((p, j) => this.node(p, size, "unit", `u${l}[${j + 1}]`, null));
      this.nodes.push(layer);
      this.head(l, this.cols[l][0].x, widths[l], l === counts.length - 1);
    }
  }

  node(p, size, kind, ref, name) {
    const div = document.createElement("div");
    div.className = `node ${kind}`;
    div.style.left = `${p.x}px`; div.style.top = `${p.y}px`;
    div.style.width = `${size}px`; div.style.height = `${size}px`;
    const canvas = document.createElement("canvas");
    canvas.width = 1; canvas.height = 1;
    div.append(canvas);
    if (name) { const label = document.createElement("span"); label.className = "name"; label.textContent = name; label.title = name; div.append(label); }
    if (ref) {
      div.dataset.ref = ref;
      div.title = `${ref}: click for its bias and weights`;
      const bias = document.createElement("span"); bias.className = "bias"; div.append(bias);
      const badge = document.createElement("span"); badge.className = "badge"; badge.hidden = true; div.append(badge);
      div.addEventListener("click", () => this.cb.pick(ref));
    }
    this.box.append(div);
    return { div, canvas, ref };
  }

  head(l, x, units, output) {
    const head = document.createElement("div");
    const spacing = this.cols.length > 1 ? this.cols[1][0].x - this.cols[0][0].x : 200;
    head.className = spacing < 120 ? "layer-head compact" : "layer-head";
    if (spacing < 120) head.style.width = `${spacing - 4}px`;
    head.style.left = `${x}px`;
    head.dataset.layer = String(l);
    const distinct = document.createElement("span"); distinct.className = "distinct";
    const broke = document.createElement("span"); broke.className = "broke";
    const controls = document.createElement("span");
    if (!output) {
      const minus = document.createElement("button"); minus.textContent = "\u2212"; minus.title = "one unit less";
      const plus = document.createElement("button"); plus.textContent = "+"; plus.title = "one unit more";
      minus.addEventListener("click", () => this.cb.units(l, -1));
      plus.addEventListener("click", () => this.cb.units(l, +1));
      const act = document.createElement("select");
      act.setAttribute("aria-label", `activation of layer ${l}`);
      for (const a of this.cb.activations().filter(a => a !== "softmax")) act.append(new Option(a, a));
      act.value = this.run.activations[l - 1];
      act.addEventListener("change", () => this.cb.activation(l, act.value));
      controls.append(minus, ` ${units} `, plus, " ", act);
    } else {
      controls.textContent = `output: ${this.run.activations[l - 1]}`;
    }
    head.append(distinct, broke, controls);
    this.box.append(head);
  }

  update(frame) {
    this.frame = frame;
    const run = this.run;
    if (!this.nodes || frame.layers.length !== this.nodes.length - 1) return;
    const grid = frame.grid;
    if (frame.inputMaps && this.nodes[0].length > 1) {
      const maps = decode(frame.inputMaps);
      this.nodes[0].forEach((n, i) => paintSigned(n.canvas, maps, i * grid * grid, grid));
    }
    frame.layers.forEach((layer, l) => {
      const nodes = this.nodes[l + 1];
      const maps = layer.maps ? decode(layer.maps) : null;
      const letters = groupsOf(layer);
      nodes.forEach((n, j) => {
        if (maps) paintSigned(n.canvas, maps, j * grid * grid, grid);
        else if (l === 0 && run.images && layer.weights) paintValues(n.canvas, layer.weights.slice(j * layer.inputs, (j + 1) * layer.inputs), run.images.height, run.images.width);
        const g = letters[j];
        const badge = n.div.querySelector(".badge");
        badge.hidden = !g;
        n.div.style.borderColor = g ? g.color : "#888";
        n.div.style.borderWidth = g ? "3px" : "1px";
        if (g) { badge.textContent = g.letter + (g.interchangeable ? "\u2605" : ""); badge.style.background = g.color; }
        n.div.querySelector(".bias").style.background = css(diverging(Math.tanh(layer.biases[j])));
        n.div.title = `${n.ref}: ${g ? `identical to unit${g.members.length > 2 ? "s" : ""} ${g.members.filter(u => u !== j + 1).join(", ")} (equal incoming weights and bias${g.interchangeable ? ", and equal outgoing weights" : ""}); ` : ""}bias ${layer.biases[j]}; click for its weights`;
      });
      const head = this.box.querySelector(`.layer-head[data-layer="${l + 1}"]`);
      head.querySelector(".distinct").textContent = `${layer.distinct} distinct of ${layer.units}`;
      head.querySelector(".broke").textContent = splitText(layer, frame.step);
    });
    this.drawEdges(frame);
  }

  // Edges of every layer, coloured by sign, width by |value| against the largest shown.
  drawEdges(frame) {
    const ctx = this.canvas.getContext("2d");
    ctx.setTransform(devicePixelRatio, 0, 0, devicePixelRatio, 0, 0);
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.segments = [];
    const key = this.mode === "gradients" ? "weightGradients" : "weights";
    let max = 0;
    for (const layer of frame.layers) if (layer[key]) for (const v of layer[key]) max = Math.max(max, Math.abs(v));
    this.maxShown = max;
    frame.layers.forEach((layer, l) => {
      const values = layer[key];
      if (!values || (l === 0 && this.cols[0].length !== layer.inputs) || values.length > MAX_EDGES) return;
      for (let j = 0; j < layer.units; j++)
        for (let i = 0; i < layer.inputs; i++) {
          const v = values[j * layer.inputs + i], a = this.cols[l][i], b = this.cols[l + 1][j];
          const ref = `W${l + 1}[${j + 1},${i + 1}]`;
          ctx.strokeStyle = v === 0 ? "#cfcfcf" : css(diverging(Math.sign(v) * Math.max(0.35, Math.abs(v) / max)));
          ctx.lineWidth = ref === this.selected ? 4 : 0.6 + 4 * (max > 0 ? Math.abs(v) / max : 0);
          if (ref === this.selected) ctx.strokeStyle = "#111";
          ctx.beginPath(); ctx.moveTo(a.x, a.y); ctx.lineTo(b.x, b.y); ctx.stroke();
          this.segments.push({ a, b, ref });
        }
    });
    this.cb.legend?.(max, this.mode, frame.layers.some((layer, l) => !layer[key] || layer[key].length > MAX_EDGES || (l === 0 && this.cols[0].length !== layer.inputs)));
  }

  clickEdge(e) {
    if (!this.segments) return;
    const r = this.canvas.getBoundingClientRect(), x = e.clientX - r.left, y = e.clientY - r.top;
    let best = null, bestD = 6;
    for (const s of this.segments) {
      const dx = s.b.x - s.a.x, dy = s.b.y - s.a.y, len2 = dx * dx + dy * dy;
      const t = Math.max(0, Math.min(1, ((x - s.a.x) * dx + (y - s.a.y) * dy) / len2));
      const d = Math.hypot(x - (s.a.x + t * dx), y - (s.a.y + t * dy));
      if (d < bestD) { bestD = d; best = s; }
    }
    if (best) this.cb.pick(best.ref);
  }
}

// Under "k distinct of n": the step the layer's symmetry broke, or why it has not (a layer can start partly distinct).
function splitText(layer, step) {
  if (layer.brokeAtStep !== null) return `split at step ${layer.brokeAtStep}`;
  if (layer.distinct === layer.units) return "\u00A0";
  const all = layer.distinct === 1;
  if (step === 0) return all ? "all units identical at the start" : "some units identical at the start";
  return all ? "not split yet" : "no split since step 0";
}

// Per unit (0-based): its group's letter, colour, members, and whether they are interchangeable too; null when the unit is alone.
export function groupsOf(layer) {
  const result = new Array(layer.units).fill(null);
  let k = 0;
  for (const g of layer.groups) {
    if (g.length < 2) continue;
    const inter = layer.interchangeable.some(h => g.every(u => h.includes(u)));
    const info = { letter: String.fromCharCode(65 + (k % 26)), color: GROUPS[k % GROUPS.length], members: g, interchangeable: inter };
    for (const u of g) result[u - 1] = info;
    k++;
  }
  return result;
}
