using System.Net;
using System.Text;
using SymmetryLab.Lab.Experiments;

namespace SymmetryLab.Reports;

/// <summary>
/// A self-contained HTML report (images inlined as data: URIs, styles inline: it opens with no network)
/// for one experiment or several, with every figure also written as a PNG file beside it.
/// </summary>
public static class HtmlReport
{
    /// <summary>Writes <c>DIR/NAME.html</c> and <c>DIR/NAME-FIGURE[-k].png</c>; returns the HTML path.</summary>
    public static string Write(string dir, string name, string title, string? summary, IReadOnlyList<ExperimentResult> results)
    {
        Directory.CreateDirectory(dir);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.Append($"<title>{E(title)}</title>\n<style>{Style}</style></head>\n<body>\n<h1>{E(title)}</h1>\n");
        if (summary is not null) html.Append($"<p class=\"summary\">{E(summary)}</p>\n");
        if (results.Count > 1)
        {
            html.Append("<nav><ul>");
            foreach (var r in results) html.Append($"<li><a href=\"#{r.Name}\">{E(r.Title)}</a>{(r.Claims.Count > 0 ? $" {Badge(r.Passed)}" : "")}</li>");
            html.Append("</ul></nav>\n");
        }
        foreach (var r in results) Section(html, r, dir, results.Count > 1 ? $"{name}-{r.Name}" : name);
        html.Append($"<footer>Made by symlab on {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC. Every number above was measured on the runs it describes.</footer>\n");
        html.Append($"<script>{LoadCheck}</script>\n</body></html>\n");
        string path = Path.Combine(dir, $"{name}.html");
        SymmetryLab.Serialization.AtomicFile.WriteAllText(path, html.ToString());
        return path;
    }

    /// <summary>Where a setup's initial.json, model.json and command.txt go: DIR/EXPERIMENT/SETUP.</summary>
    public static string SetupDir(string dir, ExperimentResult r, Replay replay) => Path.Combine(dir, r.Name, replay.Folder);

    /// <summary>Writes each setup's initial.json, model.json (the bytes its command writes) and command.txt.</summary>
    public static void WriteReplays(string dir, ExperimentResult r)
    {
        foreach (var replay in r.Replays)
        {
            string setup = SetupDir(dir, r, replay);
            Directory.CreateDirectory(setup);
            SymmetryLab.Serialization.AtomicFile.WriteAllText(Path.Combine(setup, "initial.json"), replay.InitialModel);
            SymmetryLab.Serialization.AtomicFile.WriteAllText(Path.Combine(setup, "model.json"), replay.FinalModel);
            SymmetryLab.Serialization.AtomicFile.WriteAllText(Path.Combine(setup, "command.txt"),
                $"# {r.Name}: {replay.Label}. This command writes {Path.Combine(setup, "replay", "model.json")}, byte for byte {Path.Combine(setup, "model.json")}.\n{replay.Command(setup)}\n");
        }
    }

    private static void Section(StringBuilder html, ExperimentResult r, string dir, string prefix)
    {
        html.Append($"<section id=\"{r.Name}\">\n<h2>{E(r.Title)}{(r.Claims.Count > 0 ? $" {Badge(r.Passed)}" : "")}</h2>\n");
        if (r.Question.Length > 0) html.Append($"<p class=\"question\">“{E(r.Question)}”</p>\n");
        html.Append($"<p class=\"setup\"><b>Setup.</b> {E(r.Setup)}</p>\n");
        html.Append($"<h3>{(r.Question.Length > 0 ? "Answer" : "Findings")}</h3>\n<ul class=\"answer\">");
        foreach (var a in r.Answer) html.Append($"<li>{E(a)}</li>");
        html.Append("</ul>\n");
        foreach (var t in r.Tables)
        {
            html.Append($"<h3>{E(t.Title)}</h3>\n<table><thead><tr>");
            foreach (var c in t.Columns) html.Append($"<th>{E(c)}</th>");
            html.Append("</tr></thead><tbody>");
            foreach (var row in t.Rows)
            {
                html.Append("<tr>");
                foreach (var cell in row) html.Append($"<td>{E(cell)}</td>");
                html.Append("</tr>");
            }
            html.Append("</tbody></table>\n");
        }
        foreach (var f in r.Figures)
        {
            html.Append($"<figure class=\"figure\" data-figure=\"{E(f.Name)}\"><figcaption><b>{E(f.Title)}.</b> {E(f.Caption)}</figcaption><div class=\"panels\">");
            var images = FigureRenderer.Render(f);
            for (int k = 0; k < images.Count; k++)
            {
                string file = images.Count == 1 ? $"{prefix}-{f.Name}.png" : $"{prefix}-{f.Name}-{k + 1}.png";
                File.WriteAllBytes(Path.Combine(dir, file), images[k].Png);
                html.Append($"<img alt=\"{E(f.Title)}: {E(images[k].Label)}\" src=\"data:image/png;base64,{Convert.ToBase64String(images[k].Png)}\">");
            }
            html.Append("</div></figure>\n");
        }
        if (r.Replays.Count > 0)
        {
            WriteReplays(dir, r);
            html.Append("<h3>Redo each setup by hand</h3>\n<p>Each command trains the setup again and writes, in its replay folder, a model.json equal byte for byte to the setup's model.json beside it.</p>\n<table class=\"replays\"><thead><tr><th>setup</th><th>command</th></tr></thead><tbody>");
            foreach (var p in r.Replays) html.Append($"<tr><td>{E(p.Label)}</td><td><code>{E(p.Command(SetupDir(dir, r, p)))}</code></td></tr>");
            html.Append("</tbody></table>\n");
        }
        if (r.Claims.Count > 0)
        {
            html.Append("<h3>Claims checked on this run</h3>\n<table class=\"claims\"><thead><tr><th>claim</th><th>observed</th><th></th></tr></thead><tbody>");
            foreach (var c in r.Claims) html.Append($"<tr><td>{E(c.Text)}</td><td>{E(c.Observed)}</td><td>{Badge(c.Passed)}</td></tr>");
            html.Append("</tbody></table>\n");
        }
        html.Append("</section>\n");
    }

    private static string Badge(bool passed) => passed ? "<span class=\"pass\">passed</span>" : "<span class=\"fail\">FAILED</span>";

    private static string E(string text) => WebUtility.HtmlEncode(text);

    /// <summary>Marks on the page how many of its images decoded, so a headless browser can check the report.</summary>
    private const string LoadCheck = """
        window.addEventListener('load', function () {
          var images = Array.prototype.slice.call(document.images);
          var ok = images.filter(function (i) { return i.complete && i.naturalWidth > 0; }).length;
          document.documentElement.setAttribute('data-images-loaded', ok + '/' + images.length);
        });
        """;

    private const string Style = """
        body{font-family:"DejaVu Sans",Verdana,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
        h1{font-size:1.6em}h2{border-top:2px solid #ddd;padding-top:.8em;margin-top:2em}
        .question{font-style:italic;color:#444;border-left:4px solid #9ab;padding-left:.8em}
        .summary{font-size:1.05em;background:#f4f7fa;padding:.8em;border-radius:6px}
        table{border-collapse:collapse;margin:.5em 0 1em}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left;font-size:.92em}
        th{background:#f0f0f0}.pass{color:#0a7a2f;font-weight:bold}.fail{color:#c00;font-weight:bold}
        figure{margin:1em 0}.panels{display:flex;flex-wrap:wrap;gap:8px}.panels img{max-width:100%;border:1px solid #eee}
        figcaption{margin-bottom:.4em}footer{margin-top:3em;color:#888;font-size:.85em}code{font-size:.85em;word-break:break-all}
        """;
}
