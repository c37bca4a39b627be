using SymmetryLab.Bench;

// Dispatches on the first argument; each benchmark is a whole-process measurement.
return args.Length > 0 && args[0] == "data-load"
    ? DataLoadBench.Run(args[1..], Console.Out)
    : Usage();

static int Usage()
{
    Console.Error.WriteLine("usage: SymmetryLab.Bench data-load [IMAGES-IDX-FILE]");
    return 2;
}
