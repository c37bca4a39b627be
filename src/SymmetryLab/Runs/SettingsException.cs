namespace SymmetryLab.Runs;

/// <summary>
/// Settings a run or a sweep cannot take (<see cref="RunSettings"/>, <see cref="SweepOptions"/>, the text
/// of seeds or a shard). <see cref="RunSettings"/> is the settings of <c>symlab train</c>, so the message
/// names the setting by its flag there (e.g. <c>--seeds</c>). Bad data raise <see cref="Data.DataException"/>.
/// </summary>
/// <param name="message">What is wrong, naming the setting.</param>
public sealed class SettingsException(string message) : Exception(message);
