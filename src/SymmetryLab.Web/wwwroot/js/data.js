// The data panel: built-in sets and generators (with their parameters), the held-out share, derived
// inputs for points on a plane, a CSV upload, and a preview (points, or image tiles).
import { el, $, clear } from "./dom.js";
import { pointColour } from "./plots.js";

// A fraction as a percentage without binary noise: 0.3 is "30%", not 30.000000000000004%.
const percent = f => `${+(f * 100).toPrecision(12)}%`;

export class DataPanel {
  constructor(app, catalog) {
    this.app = app; this.catalog = catalog; this.upload = null;
    const select = $("data-name");
    const builtIn = el("optgroup", { label: "built-in sets" }, catalog.datasets.map(d => el("option", { value: d.name }, `${d.name} (${d.rows}\u00D7${d.features})`)));
    const gens = el("optgroup", { label: "generators" }, catalog.generators.map(g => el("option", { value: `gen:${g.name}` }, g.name)));
    this.uploadGroup = el("optgroup", { label: "your file" });
    select.append(builtIn, gens, this.uploadGroup);
    select.addEventListener("change", () => this.pickSet(select.value));
    $("test").addEventListener("change", () => app.change({ test: $("test").value === "" ? null : Number($("test").value) }));
    this.setupUpload();
  }

  generator(spec) { return this.catalog.generators.find(g => g.name === spec.split(":")[0]); }

  // The controls for a state (called whenever the state changes).
  show(state) {
    const gen = this.generator(state.data);
    $("data-name").value = state.data === "upload" ? "upload" : gen ? `gen:${gen.name}` : state.data;
    const params = clear($("gen-params"));
    if (gen) {
      const values = Object.fromEntries(state.data.split(":").slice(1).join(":").split(",").filter(x => x.includes("=")).map(x => x.split("=")));
      for (const p of gen.parameters.concat([{ name: "seed", default: 1, description: "seed of the generator's draws", integer: true, min: 0 }])) {
        const input = el("input", { type: "number", step: p.integer ? 1 : "any", value: values[p.name] ?? p.default, min: p.min ?? undefined, max: p.max ?? undefined, "aria-label": p.name, dataset: { param: p.name } });
        input.addEventListener("change", () => this.app.change({ data: this.specFromControls(gen) }));
        params.append(el("label", { title: p.description }, `${p.name} `, input));
      }
    }
    const fixed = this.catalog.datasets.find(d => d.name === state.data)?.testRows > 0;
    const test = clear($("test"), el("option", { value: "" }, fixed ? "the set's own test rows" : "none"),
      [0.1, 0.2, 0.3, 0.5].map(f => el("option", { value: String(f) }, `${percent(f)} (seeded split)`)));
    test.value = state.test === null ? "" : String(state.test);
    if (test.value === "" && state.test !== null) test.append(el("option", { value: String(state.test), selected: true }, `${percent(state.test)} (seeded split)`));
    this.showFeatures(state);
  }

  specFromControls(gen) {
    const parts = [...$("gen-params").querySelectorAll("input")].map(i => `${i.dataset.param}=${i.value}`);
    return `${gen.name}:${parts.join(",")}`;
  }

  pickSet(value) {
    if (value === "upload") return this.app.change({ data: "upload", features: null });
    if (value.startsWith("gen:")) {
      const g = this.catalog.generators.find(x => x.name === value.slice(4));
      return this.app.change({ data: `${g.name}:${g.parameters.map(p => `${p.name}=${p.default}`).join(",")},seed=1`, features: null, outputs: null, loss: null });
    }
    const d = this.catalog.datasets.find(x => x.name === value);
    this.app.change({ data: value, features: null, test: d.testRows > 0 ? null : this.app.state.test, outputs: null, loss: null });
  }

  // Derived inputs (x1^2, ... as TF Playground offers them) for a set of two features.
  showFeatures(state) {
    const box = clear($("features"));
    const run = this.app.run;
    if (!run?.points) return;
    const chosen = state.features ?? ["x1", "x2"];
    box.append(el("span", { class: "hint" }, "inputs: "));
    for (const f of this.catalog.features) {
      const cb = el("input", { type: "checkbox", value: f, checked: chosen.includes(f) });
      cb.addEventListener("change", () => {
        const now = [...box.querySelectorAll("input:checked")].map(x => x.value);
        this.app.change({ features: now.length === 2 && now[0] === "x1" && now[1] === "x2" ? null : now });
      });
      box.append(el("label", {}, cb, f.replace("^2", "\u00B2").replace("*", "\u00B7")));
    }
  }

  setupUpload() {
    const zone = $("upload"), file = $("csv-file");
    file.addEventListener("change", () => { if (file.files[0]) this.send(file.files[0]); file.value = ""; });
    zone.addEventListener("dragover", e => { e.preventDefault(); zone.classList.add("drag"); });
    zone.addEventListener("dragleave", () => zone.classList.remove("drag"));
    zone.addEventListener("drop", e => { e.preventDefault(); zone.classList.remove("drag"); if (e.dataTransfer.files[0]) this.send(e.dataTransfer.files[0]); });
  }

  async send(f) {
    const status = $("upload-status");
    status.className = "status";
    if (f.size > this.catalog.limits.maxUploadBytes) { status.className = "status bad"; status.textContent = `${f.name}: ${f.size.toLocaleString()} bytes, the playground takes at most ${this.catalog.limits.maxUploadBytes.toLocaleString()}`; return; }
    status.textContent = `reading ${f.name}\u2026`;
    try {
      const info = await this.app.session.upload(await f.text(), f.name, $("csv-target").value.trim());
      this.upload = info;
      clear(this.uploadGroup, el("option", { value: "upload" }, `${info.name} (${info.rows}\u00D7${info.features})`));
      status.textContent = `${info.name}: ${info.rows} rows, ${info.features} features, target '${info.target}'.`;
      await this.app.change({ data: "upload", features: null, outputs: null, loss: null });
    } catch (e) {
      status.className = "status bad";
      status.textContent = e.message;
    }
  }

  // The preview: points (train filled, test rings) or the first images with their labels.
  preview(run) {
    const canvas = $("points"), tiles = clear($("tiles"));
    canvas.hidden = !run.points;
    const baseline = run.baseline ? ` Always answering class ${run.baseline.class} (the majority) scores ${(100 * run.baseline.accuracy).toFixed(1)}% on the training rows.`
      : run.meanBaseline ? ` Always answering the training targets' mean, ${run.meanBaseline.mean.toPrecision(5)}, gives an mse of ${run.meanBaseline.train.toPrecision(5)} on the training rows.` : "";
    const points = !run.points ? "" : ` Points: ${run.target === "numbers" ? "coloured by their target, orange lowest \u2026 blue highest" : run.classes > 2 ? "coloured by class" : "orange class 0, blue class 1"}; filled: training rows${run.testRows ? ", rings: test rows" : ""}.`;
    $("data-summary").textContent = `${run.data}: ${run.rows} training rows${run.testRows ? `, ${run.testRows} test rows` : ", no test rows"}; ${run.inputs.length} inputs; target: ${run.target === "numbers" ? "numbers (regression)" : `${run.classes} classes`}.${baseline}${points}${run.images ? " Images spread over the set, darker = larger pixel value, label below." : ""}`;
    if (run.points) {
      const ctx = canvas.getContext("2d"), W = canvas.width, H = canvas.height, [a, b, c, d] = run.points.domain;
      ctx.clearRect(0, 0, W, H);
      const colour = pointColour(run);
      const draw = (pts, test) => {
        for (let i = 0; i < pts.length; i += 3) {
          ctx.beginPath(); ctx.arc((pts[i] - a) / (b - a) * W, (d - pts[i + 1]) / (d - c) * H, 2.6, 0, 2 * Math.PI);
          if (test) { ctx.strokeStyle = colour(pts[i + 2]); ctx.lineWidth = 1.5; ctx.stroke(); } else { ctx.fillStyle = colour(pts[i + 2]); ctx.fill(); }
        }
      };
      draw(run.points.train, false);
      if (run.points.test) draw(run.points.test, true);
    }
    if (run.images) {
      const { height, width } = run.images, bytes = Uint8Array.from(atob(run.images.tiles), ch => ch.charCodeAt(0));
      run.images.labels.forEach((label, i) => {
        const c = el("canvas", { width, height }), ctx = c.getContext("2d"), img = ctx.createImageData(width, height);
        for (let p = 0; p < width * height; p++) { const v = 255 - bytes[i * width * height + p]; img.data.set([v, v, v, 255], 4 * p); }
        ctx.putImageData(img, 0, 0);
        tiles.append(el("figure", {}, c, el("figcaption", {}, String(label))));
      });
    }
  }
}
