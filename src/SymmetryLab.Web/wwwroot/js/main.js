// The playground page: keeps the state (in the URL too), sends it to the server, and draws what the
// session's event stream reports. Every number shown comes from the server's engine; the page computes none.
import { Session } from "./api.js";
import { toHash, fromHash } from "./state.js";
import { el, $, clear } from "./dom.js";
import { NetworkView } from "./network.js";
import { drawBoundary, drawLines, LAYER_COLOURS } from "./plots.js";
import { DataPanel } from "./data.js";
import { parseRef, showWeight, showTies, showChain, showCommand, showDiagnosis } from "./panels.js";
import { CLASSES } from "./colors.js";

// Changing these starts a run whose weights the ones set by hand no longer fit (or belong to); each as the page names it.
const shapeFields = { data: "the data set", features: "the inputs", hidden: "the hidden layers", activations: "the activations", outputs: "the output units", test: "the test rows held out" };

class App {
  constructor(catalog) {
    this.catalog = catalog;
    this.session = new Session();
    this.state = null; this.run = null; this.frame = null; this.startFrame = null;
    this.history = []; this.lesson = null; this.selected = null; this.pending = null;
    this.net = new NetworkView($("network"), $("edges"), {
      pick: ref => this.pick(ref),
      units: (l, d) => this.changeUnits(l, d),
      activation: (l, a) => { const acts = [...this.state.activations]; acts[l - 1] = a; this.change({ activations: acts }); },
      activations: () => catalog.activations,
      legend: (max, mode, partial) => this.edgeLegend(max, mode, partial),
    });
    this.data = new DataPanel(this, catalog);
    this.buildSettings();
    this.wire();
  }

  async start() {
    const { state, lesson } = fromHash(location.hash, this.catalog.defaultState);
    let initial = state, note = null;
    if (state.data === "upload") { initial = { ...state, data: this.catalog.defaultState.data, features: null }; note = "This link used an uploaded CSV file, which a link cannot carry: upload it again (the rest of the settings are kept)."; }
    try {
      const reply = await this.session.create(initial);
      this.accept(reply.state);
    } catch (e) {
      this.showError(`The link's state was refused (${e.message}); the default state is shown instead.`, e.field);
      const reply = await this.session.create(this.catalog.defaultState);
      this.accept(reply.state);
    }
    if (note) this.showError(note, "data");
    if (lesson) this.showLesson(lesson.name, lesson.start, false);
    // Another link opened in this tab changes only the part after #: the page does not reload, so it opens the run itself.
    addEventListener("hashchange", () => this.openLink());
    addEventListener("pagehide", () => this.session.end());
    // Back to a page kept in the browser's cache: its session has ended, so start again from the link.
    addEventListener("pageshow", e => { if (e.persisted) location.reload(); });
    $("dl-model").href = this.session.url("model.json");
    $("dl-initial").href = this.session.url("initial.json");
    await this.session.control("speed", { speed: Number($("speed").value) });
    this.session.listen({
      run: run => this.onRun(run),
      history: h => this.onHistory(h),
      frame: f => this.onFrame(f),
      error: () => {
        if (this.session.events.readyState === EventSource.CLOSED)
          this.showError("Lost the connection to the playground server (stopped, or the session expired): reload the page.", null);
      },
    });
  }

  async openLink() {
    const { state, lesson } = fromHash(location.hash, this.catalog.defaultState);
    if (state.data === "upload" && this.state.data !== "upload") {
      this.showError("This link used an uploaded CSV file, which a link cannot carry: upload it again.", "data");
      return;
    }
    if (!(await this.change(state, { keepHandSet: true }))) return;
    if (lesson) this.showLesson(lesson.name, lesson.start, false); else this.closeLesson();
  }

  // A new state (partial changes on top of the current one); the server checks it before anything changes.
  async change(partial, { keepHandSet = false } = {}) {
    const next = { ...this.state, ...partial };
    const changed = keepHandSet || !(next.edits.length || next.ties.length) ? [] : Object.keys(shapeFields).filter(f => f in partial && JSON.stringify(partial[f]) !== JSON.stringify(this.state[f]));
    if (changed.length) { next.edits = []; next.ties = []; }
    try {
      const reply = await this.session.setState(next);
      this.hideError();
      this.accept(reply.state);
      if (changed.length) this.showError(`The weights set by hand were cleared: ${changed.map(f => shapeFields[f]).join(" and ")} changed.`, null, true);
      return true;
    } catch (e) {
      this.showError(e.message, e.field);
      this.showControls(this.state);
      return false;
    }
  }

  accept(state) {
    this.state = state;
    history.replaceState(null, "", toHash(state, this.lesson));
    this.showControls(state);
    showTies(this);
  }

  showControls(s) {
    this.data.show(s);
    for (const [field, input] of Object.entries(this.settings)) {
      const v = s[field];
      input.value = v === null || v === undefined ? "" : String(v);
    }
  }

  buildSettings() {
    const c = this.catalog, box = $("settings");
    const select = (field, label, options, title) => {
      const s = el("select", { id: `set-${field}`, title }, options.map(o => (Array.isArray(o) ? el("option", { value: o[0] }, o[1]) : el("option", { value: o }, o))));
      box.append(el("label", {}, `${label} `, s));
      return s;
    };
    const text = (field, label, placeholder, title, list) => {
      const i = el("input", { id: `set-${field}`, placeholder, title, list });
      box.append(el("label", {}, `${label} `, i));
      return i;
    };
    box.append(el("datalist", { id: "schemes" }, ["zeros", "constant:0.5", "uniform:-0.5:0.5", "normal:0:1", "normal:0:10", "glorot-uniform", "glorot-normal", "he-uniform", "he-normal", "lecun-normal", "orthogonal", "torch-default", "keras-default", "symmetric:glorot-uniform", "symmetric:he-normal"].map(v => el("option", { value: v }))));
    this.settings = {
      optimizer: select("optimizer", "optimizer", c.optimizers, "gd: full-batch gradient descent; sgd: on minibatches; momentum 0.9; adam as PyTorch's"),
      lr: text("lr", "learning rate", "default", "default 0.001 for adam, 0.01 otherwise"),
      batch: text("batch", "batch", "32 / full", "a number, or full (default 32; full for gd)"),
      loss: select("loss", "loss", [["", "from the target"], ...c.losses], "bce, ce or mse"),
      outputActivation: select("outputActivation", "output", [["", "from the loss"], ...c.activations], "output activation"),
      outputs: text("outputs", "output units", "from target", "the output layer's width (default: K classes, else 1)"),
      init: text("init", "init", "glorot-uniform", "weight initializer (SPEC.md): zeros, constant:C, uniform:A:B, normal:MEAN:STD, glorot-..., he-..., symmetric:SCHEME", "schemes"),
      biasInit: text("biasInit", "bias init", "zeros", "bias initializer (same names)", "schemes"),
      perturb: text("perturb", "perturb", "none", "EPS[:LAYER]: add EPS to W_LAYER[1,1] after initialization"),
      l2: text("l2", "L2", "0", "penalty l2/(2m) sum W^2"),
      dropout: text("dropout", "dropout", "0", "inverted dropout probability on hidden units"),
      normalize: select("normalize", "inputs", [["none", "as they are"], ["zscore", "z-scored"]], "z-score the inputs with the training rows' mean and sd"),
      precision: select("precision", "precision", ["float32", "float64"]),
      seed: text("seed", "seed", "1", "seed of every random draw of the run: initialization, shuffling, dropout (the test rows are split by a fixed seed of their own, as symlab train's --split-seed, so every seed trains on the same rows)"),
    };
    const parse = {
      lr: v => (v === "" ? null : Number(v)), outputs: v => (v === "" ? null : Number(v)), l2: v => (v === "" ? 0 : Number(v)), dropout: v => (v === "" ? 0 : Number(v)),
      seed: v => Number(v), loss: v => v || null, outputActivation: v => v || null, perturb: v => v || null, batch: v => v || null,
    };
    for (const [field, input] of Object.entries(this.settings))
      input.addEventListener("change", () => {
        const v = (parse[field] ?? (x => x))(input.value.trim());
        if (typeof v === "number" && !Number.isFinite(v)) { this.showError(`${input.parentElement.firstChild.textContent.trim()}: '${input.value}' is not a number`, field); return; }
        const partial = { [field]: v };
        if (field === "optimizer" && this.state.lr !== null) partial.lr = this.state.lr;
        this.change(partial);
      });
  }

  wire() {
    $("play").addEventListener("click", () => this.session.control(this.frame?.running ? "pause" : "play"));
    $("step").addEventListener("click", () => this.session.control("step"));
    $("epoch").addEventListener("click", () => this.session.control("epoch"));
    $("reset").addEventListener("click", () => this.session.control("reset"));
    $("diagnose").addEventListener("click", () => this.diagnose());
    $("new-seed").addEventListener("click", () => this.change({ seed: this.state.seed + 1 }));
    $("speed").addEventListener("change", () => this.session.control("speed", { speed: Number($("speed").value) }));
    $("edge-mode").addEventListener("change", () => this.net.setMode($("edge-mode").value));
    $("add-layer").addEventListener("click", () => {
      if (this.state.hidden.length >= this.catalog.limits.maxHiddenLayers) return this.showError(`hidden: the playground allows at most ${this.catalog.limits.maxHiddenLayers} hidden layers`, "hidden");
      this.change({ hidden: [...this.state.hidden, this.state.hidden.at(-1) ?? 4], activations: [...this.state.activations, this.state.activations.at(-1) ?? "tanh"] });
    });
    $("remove-layer").addEventListener("click", () => this.change({ hidden: this.state.hidden.slice(0, -1), activations: this.state.activations.slice(0, -1) }));
    $("pick-form").addEventListener("submit", e => { e.preventDefault(); this.pick($("pick").value); });
    $("chain-sample").addEventListener("change", () => { $("chain-k").hidden = $("chain-sample").value === ""; });
    $("chain-form").addEventListener("submit", e => { e.preventDefault(); this.explain(); });
    $("copy-link").addEventListener("click", async () => {
      try { await navigator.clipboard.writeText(location.href); $("copy-link").textContent = "Link copied"; }
      catch { prompt("The link to this run:", location.href); }
      setTimeout(() => { $("copy-link").textContent = "Copy link"; }, 1500);
    });
    $("show-command").addEventListener("click", () => { $("command-panel").hidden = !$("command-panel").hidden; if (this.frame) showCommand(this); });
    const lessons = $("lesson");
    for (const l of this.catalog.lessons) lessons.append(el("option", { value: l.name }, `${l.name}: ${l.title}`));
    lessons.addEventListener("change", () => (lessons.value ? this.showLesson(lessons.value, 0, true) : this.closeLesson()));
    document.addEventListener("keydown", e => {
      if (e.target.closest("input, select, textarea") || e.ctrlKey || e.metaKey || e.altKey) return;
      const act = { " ": () => $("play").click(), s: () => $("step").click(), e: () => $("epoch").click(), r: () => $("reset").click(), n: () => $("new-seed").click() }[e.key.toLowerCase()];
      if (act) { e.preventDefault(); act(); }
    });
  }

  showLesson(name, start, apply) {
    const lesson = this.catalog.lessons.find(l => l.name === name);
    if (!lesson) return;
    this.lesson = { name, start };
    $("lesson").value = name;
    const box = $("question");
    box.hidden = false;
    box.querySelector(".q").textContent = lesson.question;
    box.querySelector(".try").textContent = lesson.try;
    box.querySelector(".cmd").textContent = `The whole experiment, with its measured answer and report: ${lesson.command}`;
    clear($("lesson-starts"), lesson.starts.map((s, i) => el("button", { class: i === start ? "on" : "", onclick: () => this.showLesson(name, i, true) }, s.label)));
    if (apply) this.change(structuredClone(lesson.starts[start].state), { keepHandSet: true });
    else history.replaceState(null, "", toHash(this.state, this.lesson));
  }

  closeLesson() {
    this.lesson = null;
    $("question").hidden = true;
    clear($("lesson-starts"));
    history.replaceState(null, "", toHash(this.state, null));
  }

  changeUnits(layer, delta) {
    const hidden = [...this.state.hidden];
    hidden[layer - 1] = Math.max(1, Math.min(this.catalog.limits.maxUnits, hidden[layer - 1] + delta));
    this.change({ hidden });
  }

  async onRun(run) {
    this.run = run;
    this.startFrame = null;
    this.history = [];
    this.net.setRun(run);
    this.data.preview(run);
    this.data.showFeatures(this.state);
    // An explanation is of one run's weights: a new run (another state, or a reset) leaves none on show.
    clear($("chain-result"), el("p", { class: "hint" }, "The run changed: press Explain for its weights."));
    const model = await fetch(this.session.url("initial.json")).then(r => r.json());
    this.startFrame = { layers: model.layers.map(l => ({ units: l.weights.length, inputs: l.weights[0].length, weights: l.weights.flat(), biases: l.biases })) };
    if (this.selected) showWeight(this, this.selected);
  }

  onHistory(h) {
    if (h.generation !== this.run?.generation) return;
    if (h.from === 0) this.history = [];
    this.history.push(...h.points);
  }

  onFrame(f) {
    if (!this.run || f.generation !== this.run.generation) return;
    this.frame = f;
    this.framesDrawn = (this.framesDrawn ?? 0) + 1; // read by bench/ (frames per second reaching the page)
    $("step-count").textContent = f.step.toLocaleString("en");
    $("epoch-count").textContent = f.epoch.toLocaleString("en");
    $("epoch-detail").textContent = f.epochStep ? `(+${f.epochStep} of ${f.stepsPerEpoch} steps)` : `(${f.stepsPerEpoch} steps an epoch)`;
    $("play").textContent = f.running ? "\u275A\u275A Pause" : "\u25B6 Play";
    if (f.stopped) this.showError(`Training stopped: ${f.stopped}`, null);
    // Whenever the run stands still (a new run at step 0, a pause, the end of a step or an epoch, a divergence), say what happened to it.
    if (!f.running && (this.diagnosed?.generation !== f.generation || this.diagnosed.step !== f.step)) this.diagnose();
    else if (f.running && this.diagnosed?.step !== f.step) $("diagnosis").classList.add("stale");
    this.net.update(f);
    drawBoundary($("boundary"), this.run, f);
    this.boundaryLegend(f);
    this.metrics(f);
    this.plots(f);
    if (this.selected && !$("weight-panel").contains(document.activeElement)) showWeight(this, this.selected);
    if (!$("command-panel").hidden) showCommand(this);
  }

  pick(text) {
    const ref = parseRef(text);
    if (!ref) { this.showError(`'${text}': expected a weight like W1[2,1], a bias like b1[2] or a unit like u1[2]`, null); return; }
    if (this.pending) {
      const { kind, first } = this.pending;
      this.pending = null;
      if (kind === "tie") {
        const ties = [...this.state.ties, { from: first.name, to: ref.name }];
        this.change({ ties }, { keepHandSet: true });
      } else {
        $("chain-a").value = first.name; $("chain-b").value = ref.name;
        this.explain();
      }
    }
    this.selected = ref;
    $("pick").value = ref.name;
    this.net.select(ref.kind === "weight" ? ref.name : ref.kind === "unit" ? ref.name : `u${ref.layer}[${ref.unit}]`);
    if (this.frame) showWeight(this, ref);
  }

  beginTie(ref) { this.pending = { kind: "tie", first: ref }; this.showError(`Now click (or type) what should start equal to ${ref.name}.`, null, true); }
  beginCompare(ref) { this.pending = { kind: "compare", first: ref }; this.showError(`Now click (or type) the weight to compare ${ref.name} with.`, null, true); }

  setEdit(param, value) {
    const edits = this.state.edits.filter(e => e.param !== param).concat([{ param, value }]);
    this.change({ edits }, { keepHandSet: true });
  }
  removeEdit(param) { this.change({ edits: this.state.edits.filter(e => e.param !== param) }, { keepHandSet: true }); }
  removeTie(tie) { this.change({ ties: this.state.ties.filter(t => !(t.from === tie.from && t.to === tie.to)) }, { keepHandSet: true }); }

  async diagnose() {
    const frame = this.frame;
    if (frame) this.diagnosed = { generation: frame.generation, step: frame.step };
    try {
      const d = await this.session.diagnosis();
      if (d.generation === this.run?.generation) showDiagnosis(d);
    } catch (e) {
      clear($("diagnosis"), el("span", { class: "status bad" }, e.message));
    }
  }

  async explain() {
    const a = $("chain-a").value.trim(), b = $("chain-b").value.trim();
    const sample = $("chain-sample").value === "" ? null : Number($("chain-k").value);
    try {
      const result = await this.session.explain(a, b || null, sample);
      this.hideError();
      showChain(result);
    } catch (e) {
      clear($("chain-result"), el("p", { class: "status bad" }, e.message));
    }
  }

  metrics(f) {
    const last = this.history.at(-1), run = this.run;
    if (!last) return;
    const pct = v => (v === null || v === undefined ? "\u2014" : `${(100 * v).toFixed(1)}%`);
    // The measured cost is the loss alone; train's "loss" adds the L2 penalty it minimized.
    // A regression's loss beside the constant's: always answering the training targets' mean.
    const mean = run.meanBaseline, constant = v => (mean && v !== null && v !== undefined ? ` (always answering the training mean ${mean.mean.toPrecision(5)}: ${v.toPrecision(5)})` : "");
    const parts = [`training loss ${last[1]?.toPrecision(5) ?? "\u2014"}${this.state.l2 ? " (without the L2 penalty)" : ""}${constant(mean?.train)}`];
    if (run.testRows) parts.push(`test loss ${last[3]?.toPrecision(5) ?? "\u2014"}${constant(mean?.test)}`);
    if (run.baseline) {
      parts.push(`training accuracy ${pct(last[2])} (always answering class ${run.baseline.class}, the training majority: ${pct(run.baseline.accuracy)})`);
      if (run.testRows) parts.push(`test accuracy ${pct(last[4])} (always class ${run.baseline.class}: ${pct(run.testBaseline?.accuracy)})`);
    }
    $("metrics").textContent = `At step ${last[0]}: ${parts.join(" \u00B7 ")}.`;
  }

  plots(f) {
    const run = this.run, h = this.history;
    const mean = run.meanBaseline;
    drawLines($("loss-plot"), [
      { label: "training", colour: "#222", points: h.map(p => [p[0], p[1]]) },
      { label: "test", colour: "#888", dash: [5, 3], points: h.map(p => [p[0], p[3]]) },
      mean ? { colour: "#c62828", dash: [2, 3], width: 1.2, extend: true, points: [[0, mean.train], [f.step, mean.train]] } : null,
    ].filter(s => s));
    legend($("loss-legend"), [["#222", "training rows", []], run.testRows ? ["#888", "test rows", [5, 3]] : null,
      mean ? ["#c62828", `always answering the training mean, on the training rows (${mean.train.toPrecision(4)})`, [2, 3]] : null]);
    if (run.baseline) {
      const series = [
        { colour: "#222", points: h.map(p => [p[0], p[2]]) },
        { colour: "#888", dash: [5, 3], points: h.map(p => [p[0], p[4]]) },
        { colour: "#c62828", dash: [2, 3], width: 1.2, extend: true, points: [[0, run.baseline.accuracy], [f.step, run.baseline.accuracy]] },
      ];
      drawLines($("accuracy-plot"), series, { min: 0, max: 1, format: v => `${Math.round(v * 100)}%` });
      legend($("accuracy-legend"), [["#222", "training", []], run.testRows ? ["#888", "test", [5, 3]] : null, ["#c62828", `majority class on the training rows (${(100 * run.baseline.accuracy).toFixed(1)}%)`, [2, 3]]]);
    } else {
      drawLines($("accuracy-plot"), []);
      clear($("accuracy-legend"), "No accuracy: the target is a number (regression).");
    }
    const hidden = f.layers.slice(0, -1);
    const series = hidden.map((layer, l) => {
      const start = f.distinctAtStart[l];
      const pts = [[0, start], ...f.changes.filter(c => c[1] === l + 1).map(c => [c[0], c[2]])];
      if (f.step > pts.at(-1)[0]) pts.push([f.step, pts.at(-1)[1]]);
      return { colour: LAYER_COLOURS[l % LAYER_COLOURS.length], step: true, points: pts, dash: l === 0 ? [] : [2 + 2 * l, 3], width: 2.4 - 0.3 * Math.min(l, 4), marks: layer.brokeAtStep !== null ? [[layer.brokeAtStep, pts.find(p => p[0] >= layer.brokeAtStep)?.[1] ?? layer.distinct]] : [] };
    });
    const most = Math.max(1, ...hidden.map(l => l.units));
    drawLines($("distinct-plot"), series, { min: 0, max: most, format: v => String(Math.round(v)) });
    legend($("distinct-legend"), hidden.length ? hidden.map((layer, l) => [LAYER_COLOURS[l % LAYER_COLOURS.length], `layer ${l + 1} (${layer.units} units)`, l === 0 ? [] : [2 + 2 * l, 3]]) : null,
      hidden.length ? ` A dot marks the step a layer's symmetry broke.${run.perturbation ? " Step 0 counts the units of initial.json, after the perturbation (as symlab train's symmetry.json does)." : ""}` : "No hidden layer.");
  }

  edgeLegend(max, mode, partial) {
    const what = mode === "gradients" ? "gradient of the last step" : "weight";
    clear($("network-legend"),
      "Edges: ", sw("#0877bd"), `${what} > 0`, sw("#f59322"), `< 0`, sw("#cfcfcf"), "exactly 0; thicker = larger |value| (largest shown ", max.toPrecision(3), "). ",
      "Units: ", this.run?.points ? ["each shows its output over the plane of the Data panel, ", el("span", { class: "scale", id: "scale-signed" }), " orange \u22121 \u2026 white 0 \u2026 blue +1 (clipped); inputs show their own value over the plane, scaled to their largest size there; "] : this.run?.images ? "layer 1 shows each unit's incoming weights as an image (scaled to its largest |weight|); " : "",
      "the small square is the bias (same colours). In a layer, units with the same letter and border colour are identical (equal incoming weights and bias); \u2605 marks those also interchangeable (equal outgoing weights): backpropagation gives them equal gradients, so they stay identical.",
      partial ? " Some layers' edges are not drawn (too many to draw)." : "");
    const s = $("scale-signed");
    if (s) { s.style.background = "linear-gradient(to right, #f59322, #ffffff, #0877bd)"; }
  }

  boundaryLegend(f) {
    const run = this.run;
    if (!run.points || !f.output) { clear($("boundary-legend")); return; }
    const test = run.testRows ? " Filled dots: training rows; rings: test rows." : " Dots: training rows.";
    if (f.output.kind === "probability") clear($("boundary-legend"), "Background: the network's P(class 1), orange 0 \u2026 white 0.5 \u2026 blue 1. Dots: orange class 0, blue class 1.", test);
    else if (f.output.kind === "classes") clear($("boundary-legend"), "Background: the class the network picks (its colour), paler where it is less sure.", run.target === "numbers" ? "" : ` Classes: ${CLASSES.slice(0, run.classes).map((c, k) => k).join(", ")} in the dots' colours.`, test);
    else clear($("boundary-legend"), `Background: the output value, orange ${f.output.min.toPrecision(3)} \u2026 blue ${f.output.max.toPrecision(3)} (the training targets' range); the dots' colours are their targets on the same scale.`, test);
  }

  showError(message, field, info = false) {
    const box = $("error");
    box.hidden = false;
    box.textContent = message;
    box.className = info ? "status" : "error";
    document.querySelectorAll(".invalid").forEach(e => e.classList.remove("invalid"));
    const target = field && ($(`set-${field}`) || { data: $("data-name"), test: $("test"), features: $("features"), hidden: $("add-layer"), activations: $("network") }[field]
      || (field.startsWith("edits") ? $("edit-value") : null));
    target?.classList.add("invalid");
  }

  hideError() {
    $("error").hidden = true;
    document.querySelectorAll(".invalid").forEach(e => e.classList.remove("invalid"));
  }
}

function sw(colour) {
  const s = el("span", { class: "sw" });
  s.style.background = colour;
  return s;
}

function legend(box, items, tail = "") {
  clear(box, (items ?? []).filter(Boolean).map(([colour, label, dash]) => {
    const s = el("span", { class: "sw" });
    s.style.background = dash.length ? `repeating-linear-gradient(to right, ${colour} 0 ${dash[0]}px, transparent ${dash[0]}px ${dash[0] + dash[1]}px)` : colour;
    s.style.height = "3px"; s.style.border = "none";
    return [s, label];
  }), tail);
}

const catalog = await new Session().catalog();
window.playground = new App(catalog);
await window.playground.start();
