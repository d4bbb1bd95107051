namespace Redundancy.Orleans.Management;

/// <summary>A signal sent to a card's process (<c>POST /api/cards/{id}/kill|hang|resume</c>).</summary>
public sealed record CardSignalled
{
    /// <summary>The card.</summary>
    public required string Card { get; init; }

    /// <summary>Its operating-system process id.</summary>
    public int? Pid { get; init; }

    /// <summary><c>SIGKILL</c>, <c>SIGSTOP</c> or <c>SIGCONT</c>.</summary>
    public required string Signal { get; init; }
}

/// <summary>A card declared dead in the membership table (<c>POST /api/cards/{id}/declare-dead</c>).</summary>
public sealed record CardDeclaredDead
{
    /// <summary>The card.</summary>
    public required string Card { get; init; }

    /// <summary>False when the membership table already held it dead.</summary>
    public bool DeclaredDead { get; init; }
}

/// <summary>A card stopped gracefully (<c>POST /api/cards/{id}/stop</c>).</summary>
public sealed record CardStopped
{
    /// <summary>The card.</summary>
    public required string Card { get; init; }

    /// <summary>Always true: a card that cannot be stopped is refused with a problem.</summary>
    public bool Stopped { get; init; }

    /// <summary>The card process's exit code, when it exited within the grace period.</summary>
    public int? ExitCode { get; init; }
}

/// <summary>A card started as a spare (<c>POST /api/cards</c>, <c>POST /api/cards/{id}/start</c>).</summary>
public sealed record CardStarted
{
    /// <summary>The card.</summary>
    public required string Card { get; init; }

    /// <summary>The software version it was started at, when one was asked for.</summary>
    public string? Version { get; init; }

    /// <summary>Its operating-system process id.</summary>
    public int? Pid { get; init; }

    /// <summary>The role it joins with: <c>spare</c>.</summary>
    public required string Role { get; init; }

    /// <summary>Where its log goes.</summary>
    public string? Log { get; init; }
}

/// <summary>A crash injected into a process (<c>POST /api/processes/{name}/crash</c>).</summary>
public sealed record ProcessCrashed
{
    /// <summary>The process.</summary>
    public required string Process { get; init; }

    /// <summary>Always true.</summary>
    public bool Crashed { get; init; }

    /// <summary>Whether its replicated state was poisoned too.</summary>
    public bool Poison { get; init; }
}

/// <summary>A quarantine lifted (<c>POST /api/processes/{name}/release</c>).</summary>
public sealed record ProcessReleased
{
    /// <summary>The process.</summary>
    public required string Process { get; init; }

    /// <summary>Always true: the process restarts.</summary>
    public bool Released { get; init; }

    /// <summary>True when it rebuilds from its associated processes instead of restoring from its replicas.</summary>
    public bool Rebuild { get; init; }
}

/// <summary>The software versions the chassis can start cards at (<c>GET /api/builds</c>).</summary>
public sealed record BuildVersions
{
    /// <summary>Versions, the chassis's own first.</summary>
    public IReadOnlyList<string> Versions { get; init; } = [];
}

/// <summary>A fault injected into the chassis (partition, slow card, crash point).</summary>
public sealed record FaultInjected
{
    /// <summary>The card the fault was injected on.</summary>
    public required string Card { get; init; }

    /// <summary>What was injected, in words.</summary>
    public required string Fault { get; init; }
}

/// <summary>One Prometheus HTTP service-discovery target group: a card's metrics endpoint.</summary>
public sealed record MetricsTarget
{
    /// <summary><c>host:port</c> of the card's metrics endpoint.</summary>
    public required IReadOnlyList<string> Targets { get; init; }

    /// <summary>Labels: <c>__scheme__</c>, <c>__metrics_path__</c>, <c>redundancy_card</c>, <c>redundancy_card_start_role</c>.</summary>
    public required IReadOnlyDictionary<string, string> Labels { get; init; }
}
