namespace Redundancy.Orleans.Routing.State;

/// <summary>
/// The explicit converters between the routing hot state and each schema of its wire form (U1). Every build
/// holds all of them; a build's <see cref="RoutingBuild"/> range says which it accepts.
/// </summary>
public static class RoutingSchemas
{
    /// <summary>Schemas this source knows.</summary>
    public const int Newest = 3;

    /// <summary>Encodes <paramref name="state"/> in <paramref name="schema"/>.</summary>
    public static RoutingStateSurrogate Encode(RoutingState state, int schema)
    {
        if (schema is < 1 or > Newest)
        {
            throw new StateSchemaException($"Cannot write routing state schema {schema}: this build knows schemas 1..{Newest}.");
        }

        var packed = schema >= 2;
        return new RoutingStateSurrogate
        {
            Schema = schema,
            Routes = packed ? [] : [.. state.Rib.Routes()],
            PackedRoutes = packed ? RoutePacking.Pack(state.Rib, indexedNextHops: schema >= 3) : [],
            Peers = state.FromPeers.Select(p => new PeerRoutesSurrogate
            {
                Peer = p.Key,
                Epoch = p.Value.Epoch,
                Seq = p.Value.Seq,
                Routes = packed ? [] : [.. p.Value.Routes.Values],
                PackedRoutes = packed ? RoutePacking.Pack(p.Value.Paths) : [],
            }).ToArray(),
        };
    }

    /// <summary>Decodes a snapshot written in any schema within <paramref name="min"/>..<paramref name="max"/>.</summary>
    /// <exception cref="StateSchemaException">The schema is outside the range, or the data is corrupt.</exception>
    public static RoutingState Decode(in RoutingStateSurrogate surrogate, int min, int max)
    {
        var schema = surrogate.Schema == 0 ? 1 : surrogate.Schema;
        if (schema < min || schema > max)
        {
            throw new StateSchemaException(
                $"Routing state snapshot is in schema {schema}; build {RoutingBuild.Version} reads schemas {min}..{max}. It cannot decode this state.");
        }

        var state = new RoutingState { LoadedSchema = schema };
        try
        {
            if (schema == 1)
            {
                state.Apply(new RoutingDelta { Announce = surrogate.Routes ?? [] });
            }
            else
            {
                RoutePacking.UnpackInto(surrogate.PackedRoutes, state.Rib, indexedNextHops: schema >= 3);
            }

            foreach (var peer in surrogate.Peers ?? [])
            {
                if (schema == 1)
                {
                    state.Apply(new RoutingDelta { FromPeer = peer.Peer, PeerEpoch = peer.Epoch, PeerSeq = peer.Seq, ReplacePeer = true, Announce = peer.Routes ?? [] });
                    continue;
                }

                var received = new ReceivedRoutes { Epoch = peer.Epoch, Seq = peer.Seq };
                RoutePacking.UnpackInto(peer.PackedRoutes, received.Paths);
                state.FromPeers[peer.Peer] = received;
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or ArgumentException)
        {
            throw new StateSchemaException(e is InvalidDataException ? e.Message : $"Routing state snapshot (schema {schema}) is corrupt: {e.Message}");
        }

        return state;
    }
}

/// <summary>A snapshot's schema cannot be read or written by this build.</summary>
[GenerateSerializer]
public sealed class StateSchemaException(string message) : Exception(message);
