namespace SymmetryLab.Tests;

/// <summary>
/// The test assembly's entry point, in place of the empty one Microsoft.NET.Test.Sdk generates (the
/// test host never calls it): <c>dotnet SymmetryLab.Tests.dll every-cpu-path</c> runs the kernel tests in
/// a process whose CPU path the environment chose (<see cref="EveryCpuPathRunner"/>).
/// </summary>
internal static class Program
{
    public static int Main(string[] args) => args is [EveryCpuPathRunner.Command] ? EveryCpuPathRunner.Run(Console.Out) : 0;
}
