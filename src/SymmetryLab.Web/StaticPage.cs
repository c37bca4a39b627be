using System.Reflection;
using System.Security.Cryptography;

namespace SymmetryLab.Web;

/// <summary>
/// The page's files, embedded in this assembly (wwwroot/) and read once at start: a request can only ask
/// for one of these by its exact path, so nothing on disk is opened for it.
/// </summary>
internal static class StaticPage
{
    public sealed record Asset(byte[] Content, string ContentType, string ETag);

    public static IReadOnlyDictionary<string, Asset> Assets { get; } = Load();

    private static Dictionary<string, Asset> Load()
    {
        var assembly = typeof(StaticPage).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("wwwroot/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            string path = "/" + name["wwwroot/".Length..];
            assets[path] = new Asset(bytes, ContentType(path), $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]}\"");
        }
        if (assets.TryGetValue("/index.html", out var index)) assets["/"] = index;
        return assets;
    }

    private static string ContentType(string path) => Path.GetExtension(path) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        ".txt" or ".md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    };
}
