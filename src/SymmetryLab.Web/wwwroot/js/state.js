// The playground's state in the page's URL (after #), so a link opens the same run with the same
// initial weights. Every field is written, so a link means the same thing whatever the defaults become.

const keys = [
  ["data", "data"], ["test", "test"], ["features", "features"], ["hidden", "hidden"], ["activations", "act"],
  ["outputs", "outputs"], ["outputActivation", "oact"], ["loss", "loss"], ["init", "init"], ["biasInit", "binit"],
  ["perturb", "perturb"], ["optimizer", "opt"], ["lr", "lr"], ["batch", "batch"], ["l2", "l2"], ["dropout", "dropout"],
  ["normalize", "norm"], ["precision", "prec"], ["seed", "seed"],
];

export function toHash(state, lesson) {
  const p = new URLSearchParams();
  for (const [field, key] of keys) {
    const v = state[field];
    if (Array.isArray(v)) p.set(key, v.join(","));
    else p.set(key, v === null || v === undefined ? "" : String(v));
  }
  if (state.features === null) p.delete("features");
  p.set("edits", state.edits.map(e => `${e.param}=${e.value}`).join(";"));
  p.set("ties", state.ties.map(t => `${t.from}>${t.to}`).join(";"));
  if (lesson) { p.set("lesson", lesson.name); p.set("start", String(lesson.start)); }
  return "#" + p.toString();
}

// The state a hash describes, on top of the defaults (fields the hash lacks keep theirs).
export function fromHash(hash, defaults) {
  const p = new URLSearchParams(hash.replace(/^#/, ""));
  if (!p.has("data")) return { state: structuredClone(defaults), lesson: null };
  const s = structuredClone(defaults);
  const num = v => (v === "" ? null : Number(v));
  const list = v => (v === "" ? [] : v.split(","));
  for (const [field, key] of keys) {
    if (!p.has(key)) continue;
    const v = p.get(key);
    switch (field) {
      case "test": case "lr": case "outputs": s[field] = num(v); break;
      case "l2": case "dropout": s[field] = Number(v); break;
      case "seed": s[field] = Number(v); break;
      case "hidden": s[field] = list(v).map(Number); break;
      case "activations": case "features": s[field] = list(v); break;
      default: s[field] = v === "" ? (field === "data" ? defaults.data : null) : v;
    }
  }
  if (!p.has("features")) s.features = null;
  s.edits = (p.get("edits") || "").split(";").filter(x => x).map(x => {
    const i = x.lastIndexOf("=");
    return { param: x.slice(0, i), value: x.slice(i + 1) };
  });
  s.ties = (p.get("ties") || "").split(";").filter(x => x).map(x => {
    const [from, to] = x.split(">");
    return { from, to };
  });
  const lesson = p.has("lesson") ? { name: p.get("lesson"), start: Number(p.get("start") || 0) } : null;
  return { state: s, lesson };
}
