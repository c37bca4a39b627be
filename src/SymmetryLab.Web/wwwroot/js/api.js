// The server's JSON API (SPEC.md, "The playground's API"): one session, its commands and its event stream.

export class ApiError extends Error {
  constructor(message, field, status) { super(message); this.field = field; this.status = status; }
}

async function send(method, path, body, type = "application/json") {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.headers["Content-Type"] = type;
    init.body = type === "application/json" ? JSON.stringify(body) : body;
  }
  const response = await fetch(path, init);
  const json = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(json.error || `${response.status} ${response.statusText}`, json.field || "", response.status);
  return json;
}

export class Session {
  constructor() { this.id = null; this.events = null; }

  catalog() { return send("GET", "/api/catalog"); }

  async create(state) {
    const reply = await send("POST", "/api/sessions", state);
    this.id = reply.session;
    return reply;
  }

  url(file) { return `/api/sessions/${this.id}/${file}`; }

  // Ends the session as the page goes (reload, another page, a closed tab): keepalive lets the request
  // outlive the page, so the server's places are not held by pages nobody sees.
  end() {
    if (!this.id) return;
    this.events?.close();
    fetch(`/api/sessions/${this.id}`, { method: "DELETE", keepalive: true }).catch(() => {});
    this.id = null;
  }
  setState(state) { return send("POST", this.url("state"), state); }
  control(action, extra = {}) { return send("POST", this.url("control"), { action, ...extra }); }
  diagnosis() { return send("GET", this.url("diagnosis")); }
  explain(weight, vs, sample) { return send("POST", this.url("explain"), { weight, vs, sample }); }
  upload(text, name, target) {
    const q = new URLSearchParams({ name });
    if (target) q.set("target", target);
    return send("POST", `${this.url("upload")}?${q}`, text, "text/csv");
  }

  // Opens the event stream: ready, then run (once per new run), history and frame events.
  listen(handlers) {
    if (this.events) this.events.close();
    const source = new EventSource(this.url("events"));
    for (const type of ["ready", "run", "history", "frame"])
      source.addEventListener(type, e => handlers[type]?.(JSON.parse(e.data)));
    source.onerror = () => handlers.error?.();
    this.events = source;
  }
}
