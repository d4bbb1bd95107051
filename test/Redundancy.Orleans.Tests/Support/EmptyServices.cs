using Microsoft.Extensions.DependencyInjection;

namespace Redundancy.Orleans.Tests.Support;

/// <summary>A service provider with nothing in it, for types that take optional services.</summary>
internal static class EmptyServices
{
    public static IServiceProvider Instance { get; } = new ServiceCollection().BuildServiceProvider();
}
