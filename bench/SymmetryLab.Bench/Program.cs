using SymmetryLab.Bench;

// Whole-workload benchmarks print a table; kernel micro-benchmarks run through BenchmarkDotNet.
return args.FirstOrDefault() switch
{
    null or "engine" => Workloads.Table(args.Skip(1).ToArray()),
    "kernels" => KernelBench.Run(args.Skip(1).ToArray()),
    "data-load" => DataLoadBench.Run(args[1..], Console.Out),
    "workloads" => Workloads.Run(args.Skip(1).ToArray()),
    "fma-rate" => FmaRate.Run(args[1..]),
    "gemm-contention" => GemmContention.Run(args[1..]),
    "compare-phases" => CompareBench.Run(args[1..]),
    "gemm-shape" => GemmShape.Run(args[1..]),
    "sparse-product" => SparseProductBench.Run(args[1..]),
    "playground" => await PlaygroundBench.Run(args[1..]),
    "normals" => NormalDrawBench.Run(args[1..]),
    var other => Usage(other),
};

static int Usage(string what)
{
    Console.Error.WriteLine($"unknown benchmark '{what}': use engine [--quick], workloads [--summary] [--quick] [--threads 1,2] [--workloads W1,...] [--precision float32,float64] [--clock wall|cpu] [--sizes N,...] (sgemm's n) [--repeats N] [--each] (timed repeats of W1..W5), kernels, fma-rate [--threads 1,2] [--quick], gemm-contention [N] [ROUNDS], gemm-shape M N K [wt] [ROUNDS] or gemm-shape kernel, sparse-product [ROWS N K DENSITY] [ROUNDS], compare-phases MODEL_A MODEL_B DATA [dense], data-load [IMAGES-IDX-FILE], playground [SECONDS], or normals [DRAWS] [REPEATS]");
    return 2;
}
