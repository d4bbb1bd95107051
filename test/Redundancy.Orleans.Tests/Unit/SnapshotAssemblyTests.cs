using System.Buffers;
using Redundancy.Orleans.Replication;
using Redundancy.Orleans.Testing;
using Xunit;

namespace Redundancy.Orleans.Tests.Unit;

/// <summary>A replica's side of a chunked install: one transfer held at a time, in order, nothing kept once abandoned.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class SnapshotAssemblyTests
{
    private static readonly byte[] Bytes = [.. Enumerable.Range(0, 10).Select(i => (byte)i)];

    private static SnapshotPart Part(Guid transfer, int offset, int count, long ballot = 5) => new(transfer, ballot, offset, Bytes.Length, Bytes[offset..(offset + count)]);

    [Fact]
    public void ChunksInOrder_AreHeld_ThenCompleteWithExactlyTheBytesSent()
    {
        var assembly = new SnapshotAssembly();
        var t = Guid.NewGuid();
        Assert.Equal(SnapshotAssembly.Step.Held, assembly.Accept(Part(t, 0, 4)).Step);
        Assert.Equal(SnapshotAssembly.Step.Held, assembly.Accept(Part(t, 4, 4)).Step);
        Assert.Equal(8, assembly.HeldBytes);
        var (step, bytes) = assembly.Accept(Part(t, 8, 2));
        Assert.Equal(SnapshotAssembly.Step.Completed, step);
        Assert.Equal(Bytes, bytes.ToArray());
        Assert.Equal(0, assembly.HeldBytes);
    }

    [Fact]
    public void AStrayOrOutOfOrderChunk_AsksForARestart_AndLeavesTheTransferUnderWayIntact()
    {
        var assembly = new SnapshotAssembly();
        var t = Guid.NewGuid();
        assembly.Accept(Part(t, 0, 4));
        Assert.Equal(SnapshotAssembly.Step.Restart, assembly.Accept(Part(Guid.NewGuid(), 4, 4)).Step); // another transfer's chunk
        Assert.Equal(SnapshotAssembly.Step.Restart, assembly.Accept(Part(t, 8, 2)).Step); // a gap
        Assert.Equal(SnapshotAssembly.Step.Held, assembly.Accept(Part(t, 4, 4)).Step);
        Assert.Equal(Bytes, assembly.Accept(Part(t, 8, 2)).Bytes.ToArray());
    }

    [Fact]
    public void ANewTransfer_ReplacesTheOneUnderWay()
    {
        var assembly = new SnapshotAssembly();
        var (old, newer) = (Guid.NewGuid(), Guid.NewGuid());
        assembly.Accept(Part(old, 0, 4));
        assembly.Accept(Part(newer, 0, 4));
        Assert.Equal(SnapshotAssembly.Step.Restart, assembly.Accept(Part(old, 4, 6)).Step);
        Assert.Equal(SnapshotAssembly.Step.Completed, assembly.Accept(Part(newer, 4, 6)).Step);
    }

    [Fact]
    public void ATransferOfABallotBelowThePromise_IsDropped_AndItsNextChunkAsksForARestart()
    {
        var assembly = new SnapshotAssembly();
        var t = Guid.NewGuid();
        assembly.Accept(Part(t, 0, 4, ballot: 5));
        assembly.Tidy(promised: 5);
        Assert.Equal(4, assembly.HeldBytes); // its own ballot promised: kept
        assembly.Tidy(promised: 6);
        Assert.Equal(0, assembly.HeldBytes);
        Assert.Equal(SnapshotAssembly.Step.Restart, assembly.Accept(Part(t, 4, 6, ballot: 5)).Step);
    }

    [Theory]
    [InlineData(0, 0, 1, "does not fit a transfer of 0 bytes")]
    [InlineData(10, -1, 1, "[-1, +1)")]
    [InlineData(10, 8, 4, "[8, +4) does not fit a transfer of 10 bytes")]
    [InlineData(10, 0, 0, "[0, +0)")]
    [InlineData(SnapshotChunks.MaxTransferBytes + 1, 0, 1, "at most 1073741824")]
    public void AChunkThatDoesNotFitItsTransfer_IsRefused_AndNothingIsHeld(int total, int offset, int count, string expected)
    {
        var assembly = new SnapshotAssembly();
        var e = Assert.Throws<ArgumentException>(() => SnapshotAssembly.Validate(new SnapshotPart(Guid.NewGuid(), 1, offset, total, new byte[count])));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Equal(0, assembly.HeldBytes);
    }
}
