using SymmetryLab.Cli;

namespace SymmetryLab.Tests.Cli;

/// <summary>
/// The same bytes on every CPU path: each setup is trained in this process (the machine's widest
/// vectors), then in child processes with AVX-512 off, with AVX2 off (128-bit vectors, no FMA
/// instructions) and with every hardware intrinsic off (scalar code), and every file of the run folder
/// must be byte-identical. Small setups, so the scalar path stays quick; together they cover the tiny
/// lane pass and the general one, the blocked and unpacked products, sigmoid, tanh, relu, leaky relu and
/// softmax, bce, ce and mse, each optimizer, minibatches and dropout, float32 and float64.
/// </summary>
public class DeterminismTests
{
    /// <summary>.NET 10 reads DOTNET_EnableAVX512 (it ignores the older DOTNET_EnableAVX512F: 512-bit vectors stayed on).</summary>
    public static readonly string[] CpuPaths = ["DOTNET_EnableAVX512", "DOTNET_EnableAVX2", "DOTNET_EnableHWIntrinsic"];

    public static IEnumerable<object[]> Setups =>
    [
        ["coffee-tiny-f32", "--data coffee --layers 3,1 --normalize zscore --epochs 30"],
        // The case: digits01 400-25-15-1 float64 changed with AVX2 off.
        ["digits01-f64", "--data digits01 --layers 25,15,1 --precision float64 --epochs 1"],
        ["optdigits-softmax-f32", "--data optdigits --layers 32,10 --normalize zscore --epochs 1 --batch 64"],
        ["optdigits-relu-momentum-f64", "--data optdigits --layers 24,10 --activation relu --normalize zscore --precision float64 --epochs 1 --optimizer momentum --lr 0.05"],
        ["circles-tanh-gd-f64", "--data circles-dls --layers 10,5,1 --activation tanh --optimizer gd --lr 0.5 --epochs 40 --precision float64"],
        ["iris-leaky-sgd", "--data iris --layers 8,3 --activation leaky_relu --normalize zscore --epochs 10 --optimizer sgd --batch 16"],
        ["plane-mse-f64", "--data plane --layers 6,1 --activation tanh --epochs 5 --precision float64"],
        ["spirals-dropout", "--data spirals:classes=3 --layers 16,16,3 --activation tanh --epochs 5 --dropout 0.1"],
    ];

    [Theory]
    [MemberData(nameof(Setups))]
    public void EveryCpuPathWritesTheSameRunFolder(string name, string setup)
    {
        string dir = TestNets.TempDir();
        string reference = Path.Combine(dir, "default");
        var args = setup.Split(' ').Concat(["--threads", "2", "--out", reference, "--json"]).ToArray();
        var (code, _, err) = CliTests.Run(["train", .. args]);
        Assert.True(code == 0, $"{name}: {err}");
        var expected = Directory.GetFiles(reference).Order(StringComparer.Ordinal).ToArray();
        Assert.Contains(expected, f => Path.GetFileName(f) == "model.json");
        foreach (var setting in CpuPaths)
        {
            string folder = Path.Combine(dir, setting);
            var result = SymlabProcess.Run(["train", .. setup.Split(' '), "--threads", "1", "--out", folder, "--json"], new Dictionary<string, string> { [setting] = "0" });
            Assert.True(result.Code == 0, $"{name} with {setting}=0: exit {result.Code}: {result.Err}");
            foreach (var file in expected)
            {
                string other = Path.Combine(folder, Path.GetFileName(file));
                Assert.True(File.Exists(other), $"{name} with {setting}=0: no {Path.GetFileName(file)}");
                Assert.True(File.ReadAllBytes(file).AsSpan().SequenceEqual(File.ReadAllBytes(other)),
                    $"{name}: {Path.GetFileName(file)} differs with {setting}=0");
            }
        }
        Directory.Delete(dir, recursive: true);
    }

    /// <summary>
    /// The model bytes these setups gave before the engine's exp, log and sigmoid became its own (on an
    /// AVX-512 machine with FMA): the change kept them, and a machine of any other kind must give them
    /// too. A deliberate change of the engine's arithmetic updates these digests and says why.
    /// </summary>
    [Theory]
    [InlineData("--data coffee --layers 3,1 --normalize zscore --epochs 30", "6b44bbfeca184c99d0ebe4ac753a00d3fec8113dd1a186b3c0dbce6966cc44f8")]
    [InlineData("--data digits01 --layers 25,15,1 --precision float64 --epochs 2", "e066f63a3fff431982037d1e5da9c557a9605315a52cb8b5f0668a6caf0f29af")]
    [InlineData("--data optdigits --layers 32,10 --normalize zscore --epochs 2", "f7848a4d352c47a2ef62da343452df62dd4511306c16f80a03ab79ed48439b6c")]
    [InlineData("--data circles-dls --layers 10,5,1 --activation tanh --optimizer gd --lr 0.5 --epochs 50", "e45030099d4271b97550d7d03a5cd83a4e15d183b1bffbd03f9c893ed20f8efb")]
    public void ModelBytesArePinned(string setup, string sha256)
    {
        string dir = TestNets.TempDir();
        var (code, _, err) = CliTests.Run(["train", .. setup.Split(' '), "--out", dir, "--json"]);
        Assert.True(code == 0, err);
        Assert.Equal(sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(dir, "model.json")))));
        Directory.Delete(dir, recursive: true);
    }
}
