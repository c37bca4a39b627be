// The inspector: a weight's exact values with its edit and tie controls, the ties, the chain-rule
// comparison of two gradients, and the symlab train line.
import { el, $, clear } from "./dom.js";

// Where a parameter is: { layer, unit, input|null } from W1[2,1] / b1[2], or a unit u1[2].
export function parseRef(text) {
  const t = text.trim();
  let m = t.match(/^[Ww](\d+)(?:\[(\d+),\s*(\d+)\]|:(\d+):(\d+))$/);
  if (m) return { kind: "weight", layer: +m[1], unit: +(m[2] ?? m[4]), input: +(m[3] ?? m[5]), name: `W${m[1]}[${m[2] ?? m[4]},${m[3] ?? m[5]}]` };
  m = t.match(/^b(\d+)(?:\[(\d+)\]|:(\d+))$/);
  if (m) return { kind: "bias", layer: +m[1], unit: +(m[2] ?? m[3]), input: null, name: `b${m[1]}[${m[2] ?? m[3]}]` };
  m = t.match(/^u(\d+)(?:\[(\d+)\]|:(\d+))$/);
  if (m) return { kind: "unit", layer: +m[1], unit: +(m[2] ?? m[3]), input: null, name: `u${m[1]}[${m[2] ?? m[3]}]` };
  return null;
}

// The exact value text of a parameter in a frame (null when the frame does not carry it).
export function valueOf(frame, ref, gradient = false) {
  const layer = frame?.layers[ref.layer - 1];
  if (!layer || ref.unit > layer.units) return null;
  if (ref.kind === "bias") return (gradient ? layer.biasGradients : layer.biases)[ref.unit - 1];
  if (ref.input > layer.inputs) return null;
  const values = gradient ? layer.weightGradients : layer.weights;
  return values ? values[(ref.unit - 1) * layer.inputs + ref.input - 1] : null;
}

const num = v => (v === null || v === undefined ? "\u2014" : String(v));

export function showWeight(app, ref) {
  const box = $("weight-detail");
  if (!ref) { clear(box); return; }
  const s = app.state, f = app.frame, start = app.startFrame;
  const tiedTo = s.ties.find(t => t.to === ref.name);
  if (ref.kind === "unit") {
    const layer = f?.layers[ref.layer - 1];
    if (!layer || ref.unit > layer.units) { clear(box, el("p", { class: "status bad" }, `${ref.name}: no such unit`)); return; }
    const rows = [];
    for (let i = 1; i <= layer.inputs; i++) rows.push(paramRow(app, { kind: "weight", layer: ref.layer, unit: ref.unit, input: i, name: `W${ref.layer}[${ref.unit},${i}]` }));
    rows.push(paramRow(app, { kind: "bias", layer: ref.layer, unit: ref.unit, input: null, name: `b${ref.layer}[${ref.unit}]` }));
    const next = f.layers[ref.layer];
    if (next) for (let k = 1; k <= next.units; k++) rows.push(paramRow(app, { kind: "weight", layer: ref.layer + 1, unit: k, input: ref.unit, name: `W${ref.layer + 1}[${k},${ref.unit}]` }, "outgoing"));
    clear(box,
      el("h3", {}, `Unit ${ref.unit} of layer ${ref.layer}`),
      el("table", {}, el("tr", {}, el("th", {}, "parameter"), el("th", {}, `now (step ${f.step})`), el("th", {}, "at the start"), el("th", {}, "last gradient")), rows),
      el("p", {}, tiedTo ? `Starts as a copy of ${tiedTo.from}. ` : "",
        el("button", { id: "tie-unit", onclick: () => app.beginTie(ref) }, `Tie another unit to ${ref.name}\u2026`)),
      el("p", { class: "hint" }, "Tying unit B to unit A starts B with A's incoming weights, bias and outgoing weights: the two units are then interchangeable, get equal gradients at every step, and stay one unit."));
    return;
  }
  const now = valueOf(f, ref), atStart = valueOf(start, ref), grad = valueOf(f, ref, true);
  const edit = s.edits.find(e => e.param === ref.name);
  const input = el("input", { id: "edit-value", size: 22, value: edit ? edit.value : num(atStart), "aria-label": `start value of ${ref.name}` });
  const form = el("form", { id: "edit-form" }, `Start ${ref.name} at `, input, " ", el("button", {}, "Set"),
    edit ? el("button", { type: "button", onclick: () => app.removeEdit(ref.name) }, "Undo edit") : null);
  form.addEventListener("submit", e => { e.preventDefault(); app.setEdit(ref.name, input.value.trim()); });
  clear(box,
    el("h3", {}, describe(ref)),
    el("table", {},
      el("tr", {}, el("td", {}, `now (step ${f?.step ?? 0})`), el("td", { class: "num exact", id: "value-now" }, num(now))),
      el("tr", {}, el("td", {}, "at the start (step 0)"), el("td", { class: "num exact", id: "value-start" }, num(atStart))),
      el("tr", {}, el("td", {}, "gradient of the last step"), el("td", { class: "num exact" }, f?.step ? num(grad) : "no step yet"))),
    tiedTo ? el("p", {}, `Tied: starts equal to ${tiedTo.from}. `, el("button", { onclick: () => app.removeTie(tiedTo) }, "Untie")) : form,
    el("p", { class: "hint" }, `Values are exact (${app.run.precision}, shortest text that reads back to the same bits). An edit sets the starting weight: the run goes back to step 0 from the new start.`),
    el("p", {},
      el("button", { id: "tie-weight", onclick: () => app.beginTie(ref) }, `Tie another to ${ref.name}\u2026`), " ",
      el("button", { id: "compare", onclick: () => app.beginCompare(ref) }, "Compare with\u2026 (chain rule)")));
}

function describe(ref) {
  if (ref.kind === "bias") return `${ref.name}: the bias of unit ${ref.unit} of layer ${ref.layer}`;
  return `${ref.name}: the weight from ${ref.layer === 1 ? `input ${ref.input}` : `unit ${ref.input} of layer ${ref.layer - 1}`} to unit ${ref.unit} of layer ${ref.layer}`;
}

function paramRow(app, ref, what) {
  const link = el("button", { class: "linkish", onclick: () => app.pick(ref.name) }, ref.name);
  return el("tr", {}, el("td", {}, link, what ? ` (${what})` : ""), el("td", { class: "num exact" }, num(valueOf(app.frame, ref))),
    el("td", { class: "num exact" }, num(valueOf(app.startFrame, ref))), el("td", { class: "num exact" }, app.frame.step ? num(valueOf(app.frame, ref, true)) : "\u2014"));
}

export function showTies(app) {
  const s = app.state;
  const items = [
    ...s.edits.map(e => el("li", {}, `${e.param} starts at ${e.value} `, el("button", { onclick: () => app.removeEdit(e.param) }, "undo"))),
    ...s.ties.map(t => el("li", {}, `${t.to} starts equal to ${t.from} `, el("button", { onclick: () => app.removeTie(t) }, "untie"))),
  ];
  clear($("ties"), items.length ? [el("h3", {}, "Set by hand (part of the link)"), el("ul", { id: "hand-set" }, items)] : []);
}

// The chain-rule panel: factors side by side, the differing ones marked, the product against the engine's gradient.
export function showChain(result) {
  const a = result, b = result.vs;
  const fmt = v => (v === null ? "\u2014" : Number(v).toPrecision(10));
  const head = el("tr", {}, el("th", {}, `factor of dJ/d${a.weight}`), el("th", {}, "value"), b ? [el("th", {}, `factor of dJ/d${b.weight}`), el("th", {}, "value"), el("th", {}, "")] : []);
  const rows = a.factors.map((f, i) => {
    const g = b?.factors[i];
    return el("tr", { class: f.differs ? "differs" : "" }, el("td", {}, f.name), el("td", { class: "num" }, fmt(f.value)),
      b ? [el("td", {}, g?.name ?? ""), el("td", { class: "num" }, g ? fmt(g.value) : ""), el("td", {}, f.differs === true ? "\u2190 differs" : f.differs === false ? "same" : "")] : []);
  });
  const op = a.combine === "product" ? "product of the factors" : "sum of the paths";
  const total = (label, x, y, cls) => el("tr", { class: cls }, el("td", {}, label), el("td", { class: "num", dataset: { role: cls } }, fmt(x)), b ? [el("td", {}, ""), el("td", { class: "num" }, fmt(y)), el("td", {}, "")] : []);
  const table = el("table", { id: "chain-table" }, head, rows,
    total(`= ${op}`, a.product, b?.product, "total"),
    a.l2Term !== 0 || (b && b.l2Term !== 0) ? total("+ L2 term (l2/m) w", a.l2Term, b?.l2Term, "l2") : null,
    total("backpropagation (the engine's gradient)", a.gradient, b?.gradient, "gradient"),
    total("central finite differences", a.numeric, b?.numeric, "numeric"));
  const on = a.sample ? `sample ${a.sample} of the training rows (J is that sample's ${result.loss} cost)` : `all ${a.samples} training rows (J is the mean ${result.loss} cost)`;
  const notes = a.notes.map(n => el("p", { class: "hint" }, n));
  const paths = [a, b].filter(e => e?.paths).map(e => el("details", {}, el("summary", {}, `the ${e.paths.length} paths of dJ/d${e.weight}`),
    el("ul", {}, e.paths.map(p => el("li", {}, `via ${p.via}: ${p.factors.map(f => fmt(f.value)).join(" \u00D7 ")} = ${fmt(p.product)}`)))));
  const verdict = b ? el("p", { id: "chain-verdict" }, verdictOf(a, b)) : null;
  clear($("chain-result"), el("p", {}, `dJ/d${a.weight}${b ? ` and dJ/d${b.weight}` : ""} on ${on}, at step ${result.step}, computed in float64 from the current ${result.precision} weights.`), table, verdict, paths, notes);
}

// What the server's factor-by-factor comparison (each factor's "differs") says about the two gradients, as
// symlab explain --vs says it: "only" when every factor was compared, L2 only when the L2 terms differ.
function verdictOf(a, b) {
  const compared = a.factors.filter(f => typeof f.differs === "boolean");
  if (compared.length === 0)
    return "The two gradients are built from different chains (another layer, or another kind of parameter), so they are not compared factor by factor.";
  const differing = [...new Set(compared.filter(f => f.differs).map(f => f.role))];
  const all = compared.length === a.factors.length;
  // A sum over paths differs through what differs inside its paths (same unit above, same role).
  let inside = "";
  if (differing.includes("sum") && a.paths && b.paths && a.paths.length === b.paths.length) {
    const inner = [...new Set(a.paths.flatMap((p, k) => p.factors.filter((f, i) => {
      const g = b.paths[k].factors[i];
      return g !== undefined && g.role === f.role && g.value !== f.value;
    }).map(f => f.role)))];
    if (inner.length) inside = `; inside the paths, only through ${inner.join(", ")}`;
  }
  if (differing.length) return all ? `The two gradients differ only through the factors marked (${differing.join(", ")})${inside}.`
    : `The two gradients differ through the factors marked (${differing.join(", ")})${inside}; the factors without a mark play different roles and are not compared.`;
  if (!all) return "The factors compared are the same; the others play different roles and are not compared.";
  if (a.l2Term !== b.l2Term)
    return "Every factor is the same, but the gradients are not: they differ through the L2 term (l2/m) w, since the two weights themselves differ.";
  return a.gradient === b.gradient ? "Every factor is the same, so the two weights get the same gradient."
    : `Every factor and the L2 term are the same; backpropagation's two figures still differ (${a.gradient} and ${b.gradient}).`;
}

export function showCommand(app) {
  const f = app.frame, run = app.run;
  const whole = Math.floor(f.step / run.stepsPerEpoch), into = f.step % run.stepsPerEpoch;
  // A run that diverged in epoch D: train diverges in D too (its steps are the page's), so the line stops before it.
  const diverged = f.stopped ? (into ? whole + 1 : whole) : null;
  const epochs = diverged === null ? whole : diverged - 1;
  $("command").textContent = `${run.command} --epochs ${epochs}`;
  const end = epochs ? `the end of epoch ${epochs} (step ${epochs * run.stepsPerEpoch})` : "step 0 (--epochs 0 trains nothing and writes the initial weights)";
  const notes = [];
  if (diverged !== null) notes.push(`Training diverged on the page at step ${f.step}, in epoch ${diverged}: train diverges in that epoch too (given --epochs ${diverged} or more) and writes no model.json, so the line stops at ${end}.`);
  else if (into) notes.push(`The page is at step ${f.step}, ${into} step${into === 1 ? "" : "s"} into epoch ${whole + 1}; the command stops at ${end}, since train counts whole epochs. Press "Epoch" to finish this one.`);
  else notes.push(`The page is at step ${f.step}, ${whole ? `the end of epoch ${whole}` : "before the first step (--epochs 0 trains nothing)"}: the command's model.json is the page's, byte for byte.`);
  if (run.command.includes("--model initial.json")) notes.push("It starts from initial.json (download it from this page): the start has weights set by hand or layers with different activations.");
  $("command-note").textContent = notes.join(" ");
  const files = [];
  if (run.command.includes("--model initial.json")) files.push(el("a", { href: app.session.url("initial.json"), download: "initial.json" }, "initial.json"));
  if (run.command.includes("playground-train.csv")) files.push(el("a", { href: app.session.url("playground-train.csv"), download: "playground-train.csv" }, "playground-train.csv"));
  if (run.command.includes("playground-test.csv")) files.push(el("a", { href: app.session.url("playground-test.csv"), download: "playground-test.csv" }, "playground-test.csv"));
  clear($("command-files"), files.length ? ["Files it needs: ", files.flatMap((a, i) => (i ? [", ", a] : [a]))] : []);
}

// The run's diagnosis as symlab train would print it for the same weights, its advice naming the page's fields.
export function showDiagnosis(d) {
  const when = d.kind === null ? "" : `At step ${d.step.toLocaleString("en")} (${d.epochs.toLocaleString("en")} whole epoch${d.epochs === 1 ? "" : "s"}): `;
  const box = clear($("diagnosis"), when, d.kind === null ? null : el("b", { class: "kind" }, d.kind), d.kind === null ? "" : ". ", d.explanation);
  box.classList.remove("stale");
  box.dataset.step = d.step;
  box.dataset.kind = d.kind ?? "";
}
