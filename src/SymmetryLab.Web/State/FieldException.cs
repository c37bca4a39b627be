namespace SymmetryLab.Web.State;

/// <summary>A request the playground refuses: <see cref="Field"/> names the part of the request that is wrong (answered as a JSON 400).</summary>
internal sealed class FieldException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
