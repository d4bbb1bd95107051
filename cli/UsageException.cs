namespace Redundancy.Orleans.Cli;

/// <summary>A command line the CLI refuses before it changes anything: exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>An operator answered no to a confirmation: exit code 1, nothing changed.</summary>
internal sealed class NotConfirmedException(string message) : Exception(message);
