using Google.Protobuf;
using Onnx;
using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Interop;
using SymmetryLab.Serialization;
using SymmetryLab.Tests.Cli;

namespace SymmetryLab.Tests.Interop;

/// <summary>
/// Corrupted and hostile ONNX files: each is refused with exit 2 and a message naming the node or field
/// (and its op type), in bounded memory, and nothing is written.
/// </summary>
public class OnnxHostileTests
{
    /// <summary>A valid 3-4-2 graph as symlab exports it, to be spoiled.</summary>
    private static ModelProto Valid(Activation hidden = Activation.Relu)
    {
        var net = TestNets.Random<float>(3, [(4, hidden), (2, Activation.Softmax)], seed: 9);
        return OnnxExport.Build(net, [], null);
    }

    private static NodeProto Node(string op, string name, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        return node;
    }

    /// <summary>Runs import and audit on the bytes through the command line: both exit 2 naming <paramref name="expected"/>, and nothing is written.</summary>
    private static void Refused(byte[] bytes, params string[] expected)
    {
        string dir = TestNets.TempDir();
        string file = Path.Combine(dir, "hostile.onnx"), output = Path.Combine(dir, "out.json");
        File.WriteAllBytes(file, bytes);
        foreach (var args in new[] { new[] { "import", file, "--out", output }, new[] { "audit", file, "--merge", output } })
        {
            var (code, stdout, err) = CliTests.Run(args);
            Assert.True(code == 2, $"{args[0]}: exit {code}, {err}");
            Assert.Equal("", stdout);
            foreach (var e in expected) Assert.Contains(e, err);
            Assert.Contains("hostile.onnx", err);
        }
        Assert.Equal(["hostile.onnx"], Directory.GetFiles(dir).Select(Path.GetFileName)); // no output, no temporary file
    }

    [Fact]
    public void TruncatedAtEveryLengthIsRefusedAsData()
    {
        // A protobuf cut at a field boundary is a shorter valid message: one cut after the graph and the
        // opset (only metadata lost) still reads the whole network; every other cut is refused.
        foreach (var bytes in new[] { Valid().ToByteArray(), File.ReadAllBytes(OnnxFixtureTests.Fixture("planted.onnx")) })
        {
            var full = ModelFile.Write(OnnxImport.Parse(bytes, "whole.onnx").Network);
            for (int length = 0; length < bytes.Length; length++)
            {
                try
                {
                    var cut = OnnxImport.Parse(bytes[..length], "cut.onnx");
                    Assert.Equal(full, ModelFile.Write(cut.Network));
                }
                catch (DataException e)
                {
                    Assert.StartsWith("cut.onnx: ", e.Message);
                }
            }
        }
        var whole = File.ReadAllBytes(OnnxFixtureTests.Fixture("planted.onnx"));
        Refused(whole[..(whole.Length / 2)], "not a valid ONNX file");
    }

    [Fact]
    public void CorruptedBytesAreRefusedOrReadNeverCrash()
    {
        // Every byte of a file replaced in turn by a few values: the reader either reads a network or says why (DataException); nothing else escapes.
        var bytes = File.ReadAllBytes(OnnxFixtureTests.Fixture("gemm_transb0.onnx"));
        int refused = 0;
        for (int i = 0; i < bytes.Length; i++)
            foreach (byte v in new byte[] { 0x00, 0xFF, 0x7F, (byte)(bytes[i] ^ 0x01) })
            {
                var copy = bytes.ToArray();
                copy[i] = v;
                try { OnnxImport.Parse(copy, "corrupt.onnx"); }
                catch (DataException) { refused++; }
            }
        Assert.True(refused > bytes.Length, $"{refused} refusals"); // most corruptions are noticed
    }

    [Fact]
    public void ACycleIsRefusedNamingANodeOnIt()
    {
        var model = Valid();
        // layer1/Relu now reads layer2's output, which depends on layer1/Relu: a loop.
        var relu = model.Graph.Node.Single(n => n.OpType == "Relu");
        relu.Input[0] = "output";
        Refused(model.ToByteArray(), "cycle", "(Relu)");
    }

    [Fact]
    public void ABillionUnitInitializerIsRefusedBeforeAllocating()
    {
        var model = Valid();
        var w = model.Graph.Initializer.Single(t => t.Name == "W1");
        w.Dims.Clear();
        w.Dims.AddRange([1_000_000_000, 3]); // the data is still 4 x 3 floats
        byte[] bytes = model.ToByteArray();
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<DataException>(() => OnnxImport.Parse(bytes, "big.onnx"));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "more than 1 MiB allocated");
        Assert.Contains("initializer 'W1'", e.Message);
        Assert.Contains("1000000000", e.Message);
        Refused(bytes, "initializer 'W1'", "3000000000 values");
    }

    [Fact]
    public void LengthsThatClaimGigabytesAreRefusedWithoutAllocatingThem()
    {
        // ModelProto.graph (field 7) > GraphProto.initializer (field 5) > TensorProto.float_data (field 4, packed),
        // each length-delimited field claiming about 2 GB, followed by 8 bytes: a parser that trusted the
        // lengths would allocate 2 GB before noticing the end of the file.
        static byte[] Varint(long v)
        {
            var bytes = new List<byte>();
            do { byte b = (byte)(v & 0x7F); v >>= 7; bytes.Add(v != 0 ? (byte)(b | 0x80) : b); } while (v != 0);
            return [.. bytes];
        }
        byte[] Field(int number, long length) => [(byte)((number << 3) | 2), .. Varint(length)];
        byte[] bytes = [.. Field(7, 0x7FFFFF00), .. Field(5, 0x7FFFFE00), .. Field(4, 0x7FFFFD00), 1, 2, 3, 4, 5, 6, 7, 8];
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<DataException>(() => OnnxImport.Parse(bytes, "lengths.onnx"));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "more than 1 MiB allocated");
        Assert.Contains("not a valid ONNX file", e.Message);
        // The same for raw_data (bytes, field 9) and a name (string, field 8).
        foreach (int field in new[] { 9, 8 })
        {
            bytes = [.. Field(7, 0x7FFFFF00), .. Field(5, 0x7FFFFE00), .. Field(field, 0x7FFFFD00), 1, 2, 3];
            before = GC.GetAllocatedBytesForCurrentThread();
            Assert.Throws<DataException>(() => OnnxImport.Parse(bytes, "lengths.onnx"));
            Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "more than 1 MiB allocated");
        }
    }

    [Fact]
    public void AFileLargerThanTheLimitIsRefusedBeforeReading()
    {
        string dir = TestNets.TempDir(), file = Path.Combine(dir, "huge.onnx");
        using (var f = File.Create(file)) f.SetLength(OnnxImport.MaxFileBytes + 1); // sparse: no disk, no time
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<DataException>(() => OnnxImport.Load(file));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "more than 1 MiB allocated");
        Assert.Contains("larger than 256 MiB", e.Message);
        Assert.Contains($"{OnnxImport.MaxFileBytes + 1:N0} bytes, larger", e.Message); // not "256 MiB, larger than 256 MiB"
        File.Delete(file);
    }

    [Fact]
    public void HugeDimsOfTheInputAreRefusedNamingTheField()
    {
        var model = Valid();
        model.Graph.Input[0].Type.TensorType.Shape.Dim[1].DimValue = 1_000_000_000_000;
        Refused(model.ToByteArray(), "graph.input[0] 'input'", "dim[1]", "1000000000000");
    }

    [Fact]
    public void AnInputClaimingMillionsOfFeaturesIsRefusedBeforeAllocating()
    {
        // A 300-byte file whose input claims 20 million features, normalized by a scalar Sub: sizing the
        // normalization by the claim would allocate 160 MB (a claim of 2e9 features, 16 GB) before the first layer
        // is found too small.
        var model = Valid();
        model.Graph.Input[0].Type.TensorType.Shape.Dim[1].DimValue = 20_000_000;
        var gemm = model.Graph.Node.First(n => n.OpType == "Gemm");
        model.Graph.Initializer.Add(OnnxTensors.Write<float>("shift", [], [0.5f]));
        model.Graph.Node.Insert(0, Node("Sub", "center", ["input", "shift"], "centered"));
        gemm.Input[0] = "centered";
        byte[] bytes = model.ToByteArray();
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<DataException>(() => OnnxImport.Parse(bytes, "wide.onnx"));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "more than 1 MiB allocated");
        Assert.Contains("graph.input[0] 'input'", e.Message);
        Assert.Contains("20000000 features", e.Message);
        Refused(bytes, "graph.input[0] 'input'", "too small to hold a layer");
    }

    [Fact]
    public void HugeDimsInATensorOverflowingLongAreRefused()
    {
        var model = Valid();
        var b = model.Graph.Initializer.Single(t => t.Name == "b1");
        b.Dims.Clear();
        b.Dims.AddRange([long.MaxValue, long.MaxValue, 4]);
        Refused(model.ToByteArray(), "initializer 'b1'");
    }

    [Fact]
    public void ExternalDataIsRefusedNamingTheTensorAndNeverOpened()
    {
        string dir = TestNets.TempDir();
        var model = Valid();
        var w = model.Graph.Initializer.Single(t => t.Name == "W2");
        w.RawData = ByteString.Empty;
        w.DataLocation = TensorProto.Types.DataLocation.External;
        w.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "../../../etc/passwd" });
        w.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = "32" });
        Refused(model.ToByteArray(), "initializer 'W2'", "external file", "../../../etc/passwd");
        // The file it names beside the model: still never read (it would be a valid tensor of 2 x 4 floats).
        w.ExternalData[0].Value = "weights.bin";
        File.WriteAllBytes(Path.Combine(dir, "weights.bin"), new byte[32]);
        var e = Assert.Throws<DataException>(() => OnnxImport.Parse(model.ToByteArray(), Path.Combine(dir, "m.onnx")));
        Assert.Contains("'weights.bin'", e.Message);
    }

    [Fact]
    public void ASecondInputIsRefusedNamingIt()
    {
        var model = Valid();
        var second = model.Graph.Input[0].Clone();
        second.Name = "mask";
        model.Graph.Input.Add(second);
        Refused(model.ToByteArray(), "graph.input[1]", "second input 'mask'");
    }

    [Fact]
    public void ABranchIsRefusedNamingBothNodes()
    {
        // A residual connection: layer 1's z goes to the Relu and also around it into an Add.
        var model = Valid();
        var relu = model.Graph.Node.Single(n => n.OpType == "Relu");
        relu.Output[0] = "relu_out";
        model.Graph.Node.Insert(model.Graph.Node.IndexOf(relu) + 1, Node("Add", "residual", ["relu_out", "layer1/z"], "layer1/a"));
        Refused(model.ToByteArray(), "branch", "'layer1/z'", "'layer1/Relu' (Relu)", "'residual' (Add)");
    }

    [Fact]
    public void MessagesStayShortWhateverTheFileHolds()
    {
        // One value read by 100000 nodes (a 3 MB file): the branch is named by a few of them, not all.
        var model = Valid();
        for (int i = 0; i < 100_000; i++) model.Graph.Node.Add(Node("Relu", $"side{i}", ["input"], $"side{i}/out"));
        var e = Assert.Throws<DataException>(() => OnnxImport.Parse(model.ToByteArray(), "wide.onnx"));
        Assert.Contains("branch", e.Message);
        Assert.Contains("'side0' (Relu)", e.Message);
        Assert.Contains("99998 more nodes", e.Message);
        Assert.True(e.Message.Length <= OnnxImport.MaxMessageChars + 100, $"{e.Message.Length} characters");
        // A node named with a million characters: the message keeps the file, the start of the name and the reason.
        model = Valid();
        model.Graph.Node.Single(n => n.OpType == "Relu").OpType = "Conv";
        model.Graph.Node.Single(n => n.OpType == "Conv").Name = new string('n', 1_000_000);
        e = Assert.Throws<DataException>(() => OnnxImport.Parse(model.ToByteArray(), "long.onnx"));
        Assert.StartsWith("long.onnx: node 'nnn", e.Message);
        Assert.EndsWith("a convolution; symlab imports dense networks only", e.Message);
        Assert.True(e.Message.Length <= OnnxImport.MaxMessageChars + 100, $"{e.Message.Length} characters");
    }

    [Theory]
    [InlineData("Conv", "a convolution")]
    [InlineData("BatchNormalization", "normalization layer")]
    [InlineData("Dropout", "model.eval()")]
    [InlineData("If", "control flow")]
    [InlineData("Elu", "the activation Elu")]
    [InlineData("Gelu", "the activation Gelu")]
    [InlineData("Transpose", "not an operation of a dense network")]
    public void UnsupportedOperationsAreRefusedNamingTheNodeAndOp(string op, string why)
    {
        var model = Valid();
        var relu = model.Graph.Node.Single(n => n.OpType == "Relu");
        relu.OpType = op;
        Refused(model.ToByteArray(), $"'layer1/Relu' ({op})", why);
    }

    [Fact]
    public void ComputedReshapesOtherThanBatchByFeaturesAreRefused()
    {
        // PyTorch's x.view(x.size(0), -1) with its -1 replaced by 7 (the sample has 6 values).
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(OnnxFixtureTests.Fixture("view.onnx")));
        var concat = model.Graph.Node.Single(n => n.OpType == "Concat");
        var constant = model.Graph.Node.Single(n => n.Output[0] == concat.Input[1]);
        constant.Attribute[0].T = OnnxTensorsInt64(constant.Attribute[0].T.Name, 7);
        Refused(model.ToByteArray(), "'/Reshape' (Reshape)", "[0, 7]");
        // The shape computed from something else than the batch size (Gather index 1) is not read as a reshape.
        model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(OnnxFixtureTests.Fixture("view.onnx")));
        var gather = model.Graph.Node.Single(n => n.OpType == "Gather");
        var index = model.Graph.Node.Single(n => n.Output[0] == gather.Input[1]);
        index.Attribute[0].T.RawData = ByteString.CopyFrom(BitConverter.GetBytes(1L));
        Refused(model.ToByteArray(), "branch", "(Shape)", "(Reshape)");
    }

    private static TensorProto OnnxTensorsInt64(string name, long value)
    {
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        t.Dims.Add(1);
        t.Int64Data.Add(value);
        return t;
    }

    [Fact]
    public void OneInputOperationsWithAnotherInputAreRefused()
    {
        // Relu(b1, z): not a graph ONNX Runtime runs; it was read as Relu(z).
        var model = Valid();
        var relu = model.Graph.Node.Single(n => n.OpType == "Relu");
        relu.Input.Insert(0, "b1");
        Refused(model.ToByteArray(), "'layer1/Relu' (Relu)", "2 inputs");
    }

    [Fact]
    public void LeakyReluWithAnotherSlopeIsRefusedNamingAlpha()
    {
        var model = Valid(Activation.LeakyRelu);
        model.Graph.Node.Single(n => n.OpType == "LeakyRelu").Attribute.Single(a => a.Name == "alpha").F = 0.2f;
        Refused(model.ToByteArray(), "(LeakyRelu)", "alpha 0.2");
    }

    [Fact]
    public void GemmWithAlphaOrTransAIsRefused()
    {
        var model = Valid();
        model.Graph.Node.First(n => n.OpType == "Gemm").Attribute.Add(new AttributeProto { Name = "alpha", Type = AttributeProto.Types.AttributeType.Float, F = 2 });
        Refused(model.ToByteArray(), "'layer1/Gemm' (Gemm)", "alpha 2");
    }

    [Fact]
    public void SoftmaxBeforeTheLastLayerIsRefused()
    {
        var model = Valid();
        model.Graph.Node.Single(n => n.OpType == "Relu").OpType = "Softmax";
        Refused(model.ToByteArray(), "softmax", "output layer only");
    }

    [Fact]
    public void WeightsComputedInTheGraphAreRefused()
    {
        var model = Valid();
        var gemm = model.Graph.Node.First(n => n.OpType == "Gemm");
        model.Graph.Node.Insert(0, Node("Identity", "copy", ["W1"], "W1_copy"));
        gemm.Input[1] = "W1_copy";
        Refused(model.ToByteArray(), "'layer1/Gemm' (Gemm)", "computed, not a constant");
    }

    [Fact]
    public void SymlabMetaGivenTwiceOrWithoutANameIsRefused()
    {
        // A symlab-made file whose metadata_props repeat meta.target: the model file written would hold the key
        // twice, which symlab's own model reader refuses.
        var net = TestNets.Random<float>(3, [(4, Activation.Relu), (2, Activation.Softmax)], seed: 9);
        var model = OnnxExport.Build(net, [new("target", "y")], null);
        model.MetadataProps.Add(new StringStringEntryProto { Key = "meta.target", Value = "z" });
        Refused(model.ToByteArray(), "metadata_props[4] 'meta.target'", "second value");
        model = OnnxExport.Build(net, [], null);
        model.MetadataProps.Add(new StringStringEntryProto { Key = "meta.", Value = "z" });
        Refused(model.ToByteArray(), "metadata_props[3] 'meta.'", "without a name");
    }

    [Fact]
    public void NotAnOnnxFileIsRefused()
    {
        Refused("""{"format":"symlab-model","version":1}"""u8.ToArray(), "ONNX");
        Refused([], "ONNX");
    }

    [Fact]
    public void ADoubleModelWithFloatWeightsIsRefused()
    {
        // Mixed precisions: one layer float32, the next float64.
        var model = Valid();
        var w2 = model.Graph.Initializer.Single(t => t.Name == "W2");
        var values = Enumerable.Range(0, 8).Select(i => (double)i).ToArray();
        var replacement = OnnxTensors.Write<double>("W2", [2, 4], values);
        model.Graph.Initializer[model.Graph.Initializer.IndexOf(w2)] = replacement;
        Refused(model.ToByteArray(), "'W2' is double", "one precision");
    }

    [Fact]
    public void ALoopOfLinksOrADanglingLinkIsNamedAsSuchNotAsAMissingFile()
    {
        if (!OperatingSystem.IsLinux()) return; // a loop is told apart by statx
        string dir = TestNets.TempDir();
        string loop = Path.Combine(dir, "loop.onnx"), dangling = Path.Combine(dir, "dangling.onnx");
        File.CreateSymbolicLink(loop, loop);
        File.CreateSymbolicLink(dangling, Path.Combine(dir, "gone.onnx"));
        Assert.Contains("loop of symbolic links", Assert.Throws<DataException>(() => OnnxImport.Load(loop)).Message);
        Assert.Equal($"{dangling}: a link to {Path.Combine(dir, "gone.onnx")}, which does not exist", Assert.Throws<DataException>(() => OnnxImport.Load(dangling)).Message);
        Assert.Equal($"{dir}: is a folder, not an ONNX file", Assert.Throws<DataException>(() => OnnxImport.Load(dir)).Message);
    }
}
