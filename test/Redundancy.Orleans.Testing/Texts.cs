namespace Redundancy.Orleans.Testing;

/// <summary>Helpers for the text a failing test shows.</summary>
public static class Texts
{
    /// <summary>The last <paramref name="chars"/> characters of <paramref name="text"/> (all of it when shorter): a process's recent output.</summary>
    public static string Tail(string text, int chars) => text.Length > chars ? text[^chars..] : text;
}
