using System.Text.Json;
using System.Text.Json.Serialization;

namespace Redundancy.Orleans.Client;

/// <summary>The JSON conventions of the management API: camelCase, enums as strings.</summary>
public static class RedundancyJson
{
    /// <summary>Serializer options shared by the API and its clients.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>Applies the conventions to existing options (for ASP.NET Core).</summary>
    public static void Apply(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DictionaryKeyPolicy = null;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.RespectNullableAnnotations = false;
        options.NumberHandling = JsonNumberHandling.Strict; // numbers are JSON numbers (the Web defaults also read strings)
    }

    private static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Apply(o);
        return o;
    }
}
