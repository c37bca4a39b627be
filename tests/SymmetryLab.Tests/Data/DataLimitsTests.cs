using SymmetryLab.Data;

namespace SymmetryLab.Tests.Data;

/// <summary>The limit on a data set's values names the bound that holds, in figures worked out by hand here.</summary>
public class DataLimitsTests
{
    [Fact]
    public void WithEightGigabytesTheLimitIsAQuarterOfTheMemory()
    {
        // 8e9 bytes / 4 = 2e9 bytes = 250,000,000 doubles.
        Assert.Null(DataLimits.OverLimit("d.csv:2", 250_000_000, 8_000_000_000));
        Assert.Equal("d.csv:2: 250,000,001 values (2 GB) are over the limit of 250,000,000 values for one data set (2 GB, a quarter of the 8 GB this process may use)",
            DataLimits.OverLimit("d.csv:2", 250_000_001, 8_000_000_000));
    }

    [Fact]
    public void WithMoreThan64GigabytesTheLimitIsOneArrayNotAQuarterOfTheMemory()
    {
        // A quarter of 128 GB is 4e9 doubles, more than an array's 2,147,483,591 (17.18 GB of doubles).
        string? message = DataLimits.OverLimit("big.npy: byte 10", 3_000_000_000, 128_000_000_000);
        Assert.Equal("big.npy: byte 10: 3,000,000,000 values (24 GB) are over the limit of 2,147,483,591 values for one data set (17.2 GB, the most one array holds)", message);
    }
}
