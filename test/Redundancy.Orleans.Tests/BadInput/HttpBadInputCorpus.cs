using System.Net;

namespace Redundancy.Orleans.Tests.BadInput;

/// <summary>One bad request and what the management API must answer.</summary>
public sealed record BadRequest(string Method, string Path, string? Body, string? ContentType, HttpStatusCode Status, string Detail);

/// <summary>
/// Bad input for every endpoint of the management API: malformed JSON, wrong types, unknown processes and
/// cards, bad names, invalid prefixes and next hops, out-of-range numbers, oversized bodies, bad query
/// strings, wrong methods and paths. The chassis under test has <c>Chassis:MaxRequestBodyBytes</c> = 1 MiB.
/// </summary>
internal static class HttpBadInputCorpus
{
    public const int MaxBody = 1024 * 1024;

    private const string Json = "application/json";
    private const string Routes = "/api/processes/bgp-1/routes";
    private const string NotABatch = "The body is not a route batch";

    public static readonly IReadOnlyDictionary<string, BadRequest> Cases = new Dictionary<string, BadRequest>
    {
        ["routes: malformed JSON"] = Post(Routes, "{\"announce\":[", HttpStatusCode.BadRequest, NotABatch),
        ["routes: empty body"] = Post(Routes, "", HttpStatusCode.BadRequest, NotABatch),
        ["routes: JSON null"] = Post(Routes, "null", HttpStatusCode.BadRequest, "The body is JSON null"),
        ["routes: announce is a string"] = Post(Routes, "{\"announce\":\"10.0.0.0/8\"}", HttpStatusCode.BadRequest, NotABatch),
        ["routes: metric is a string"] = Post(Routes, Announce("\"10.0.0.0/24\"", "\"192.0.2.1\"", "\"ten\""), HttpStatusCode.BadRequest, NotABatch),
        ["routes: prefix is a number"] = Post(Routes, Announce("167772160", "\"192.0.2.1\"", "1"), HttpStatusCode.BadRequest, NotABatch),
        ["routes: not JSON content type"] = new("POST", Routes, "announce 10.0.0.0/8", "text/plain", HttpStatusCode.UnsupportedMediaType, "Send the route batch as JSON (Content-Type: application/json)"),
        ["routes: empty batch"] = Post(Routes, "{}", HttpStatusCode.BadRequest, "The batch is empty"),
        ["routes: empty announce and withdraw"] = Post(Routes, "{\"announce\":[],\"withdraw\":[]}", HttpStatusCode.BadRequest, "The batch is empty"),
        ["routes: null route"] = Post(Routes, "{\"announce\":[null]}", HttpStatusCode.BadRequest, "announce[0] is null."),
        ["routes: non-canonical prefix"] = Post(Routes, Announce("\"10.0.0.1/24\"", "\"192.0.2.1\"", "1"), HttpStatusCode.BadRequest, "use '10.0.0.0/24'"),
        ["routes: prefix length 33"] = Post(Routes, Announce("\"10.0.0.0/33\"", "\"192.0.2.1\"", "1"), HttpStatusCode.BadRequest, "has prefix length '33' outside 0..32"),
        ["routes: prefix without length"] = Post(Routes, Announce("\"10.0.0.0\"", "\"192.0.2.1\"", "1"), HttpStatusCode.BadRequest, "has no prefix length"),
        ["routes: empty prefix"] = Post(Routes, Announce("\"\"", "\"192.0.2.1\"", "1"), HttpStatusCode.BadRequest, "is empty"),
        ["routes: next hop not an address"] = Post(Routes, Announce("\"10.0.0.0/24\"", "\"router-7\"", "1"), HttpStatusCode.BadRequest, "nextHop 'router-7' is not an IP address"),
        ["routes: next hop of the other family"] = Post(Routes, Announce("\"10.0.0.0/24\"", "\"2001:db8::1\"", "1"), HttpStatusCode.BadRequest, "is IPv6 but prefix '10.0.0.0/24' is IPv4"),
        ["routes: unspecified next hop"] = Post(Routes, Announce("\"10.0.0.0/24\"", "\"0.0.0.0\"", "1"), HttpStatusCode.BadRequest, "is the unspecified address"),
        ["routes: negative metric"] = Post(Routes, Announce("\"10.0.0.0/24\"", "\"192.0.2.1\"", "-1"), HttpStatusCode.BadRequest, "metric -1 is out of range"),
        ["routes: metric too large"] = Post(Routes, Announce("\"10.0.0.0/24\"", "\"192.0.2.1\"", "16777216"), HttpStatusCode.BadRequest, "metric 16777216 is out of range"),
        ["routes: unknown origin"] = Post(Routes, "{\"announce\":[{\"prefix\":\"10.0.0.0/24\",\"nextHop\":\"192.0.2.1\",\"origin\":\"martian\"}]}", HttpStatusCode.BadRequest, "origin 'martian' is unknown"),
        ["routes: announce and withdraw one prefix"] = Post(Routes, "{\"announce\":[{\"prefix\":\"10.0.0.0/24\",\"nextHop\":\"192.0.2.1\"}],\"withdraw\":[\"10.0.0.0/24\"]}", HttpStatusCode.BadRequest, "which the same batch announces"),
        ["routes: withdraw garbage"] = Post(Routes, "{\"withdraw\":[\"not-a-prefix\"]}", HttpStatusCode.BadRequest, "withdraw[0] 'not-a-prefix'"),
        ["routes: more than MaxBatchSize"] = Post(Routes, "{\"withdraw\":[" + string.Join(',', Enumerable.Range(0, 10_001).Select(i => $"\"10.{i / 256 % 256}.{i % 256}.0/24\"")) + "]}", HttpStatusCode.BadRequest, "at most 10000 are allowed"),
        ["routes: oversized body"] = Post(Routes, "{\"withdraw\":[\"" + new string('x', MaxBody) + "\"]}", HttpStatusCode.RequestEntityTooLarge, $"larger than {MaxBody} bytes (Chassis:MaxRequestBodyBytes)"),
        ["routes: unknown process"] = Post("/api/processes/nope/routes", Announce("\"10.0.0.0/24\"", "\"192.0.2.1\"", "1"), HttpStatusCode.NotFound, "Unknown process 'nope'"),
        ["routes: invalid process name"] = Post("/api/processes/bad%20name/routes", Announce("\"10.0.0.0/24\"", "\"192.0.2.1\"", "1"), HttpStatusCode.BadRequest, "Process name 'bad name' is invalid"),
        ["routes: overlong process name"] = Post($"/api/processes/{new string('p', 200)}/routes", "{}", HttpStatusCode.BadRequest, "is invalid: use 1..64 letters"),
        ["table: no size"] = Post("/api/processes/bgp-1/table", null, HttpStatusCode.BadRequest, "Say how many prefixes the table has: ?routes=1..2000000"),
        ["table: too large"] = Post("/api/processes/bgp-1/table?routes=2000001", null, HttpStatusCode.BadRequest, "Query 'routes' must be a whole number 1..2000000 (got '2000001')"),
        ["table: not a number"] = Post("/api/processes/bgp-1/table?routes=lots", null, HttpStatusCode.BadRequest, "(got 'lots')"),
        ["table: negative seed"] = Post("/api/processes/bgp-1/table?routes=10&seed=-1", null, HttpStatusCode.BadRequest, "Query 'seed' must be a whole number"),
        ["table: window past the end"] = Post("/api/processes/bgp-1/table?routes=10&from=10", null, HttpStatusCode.BadRequest, "Query 'from' must be a whole number 0..9"),
        ["table: count past the end"] = Post("/api/processes/bgp-1/table?routes=10&from=5&count=6", null, HttpStatusCode.BadRequest, "Query 'count' must be a whole number 1..5"),
        ["table: unknown process"] = Post("/api/processes/nope/table?routes=10", null, HttpStatusCode.NotFound, "Unknown process 'nope'"),
        ["get routes: unknown process"] = Get("/api/processes/nope/routes", HttpStatusCode.NotFound, "Unknown process 'nope'"),
        ["get routes: invalid process name"] = Get("/api/processes/..%2F..%2Fetc/routes", HttpStatusCode.BadRequest, "is invalid"),
        ["forwarding: unknown process"] = Get("/api/processes/nope/forwarding", HttpStatusCode.NotFound, "Unknown process 'nope'"),
        ["crash: unknown process"] = Post("/api/processes/nope/crash", null, HttpStatusCode.NotFound, "Unknown process 'nope'"),
        ["crash: invalid poison flag"] = Post("/api/processes/bgp-1/crash?poison=maybe", null, HttpStatusCode.BadRequest, "Query 'poison' must be 'true' or 'false' (got 'maybe')"),
        ["crash: invalid process name"] = Post("/api/processes/bgp%241/crash", null, HttpStatusCode.BadRequest, "Process name 'bgp$1' is invalid"),
        ["release: process not quarantined"] = Post("/api/processes/bgp-1/release", null, HttpStatusCode.Conflict, "not quarantined or unavailable; nothing to release"),
        ["release: rebuild not a boolean"] = Post("/api/processes/bgp-1/release?rebuild=maybe", null, HttpStatusCode.BadRequest, "Query 'rebuild' must be 'true' or 'false' (got 'maybe')"),
        ["release: unknown process"] = Post("/api/processes/nope/release", null, HttpStatusCode.NotFound, "Unknown process 'nope'"),
        ["events: negative after"] = Get("/api/events?after=-1", HttpStatusCode.BadRequest, "Query 'after' must be a whole number of 0 or more (got '-1')"),
        ["events: after not a number"] = Get("/api/events?after=abc", HttpStatusCode.BadRequest, "(got 'abc')"),
        ["events: after overflows"] = Get("/api/events?after=99999999999999999999", HttpStatusCode.BadRequest, "(got '99999999999999999999')"),
        ["events: limit 0"] = Get("/api/events?limit=0", HttpStatusCode.BadRequest, "Query 'limit' must be a whole number 1..10000 (got '0')"),
        ["events: limit too large"] = Get("/api/events?limit=10001", HttpStatusCode.BadRequest, "(got '10001')"),
        ["events: limit not a number"] = Get("/api/events?after=3&limit=ten", HttpStatusCode.BadRequest, "(got 'ten')"),
        ["audits: unknown process"] = Get("/api/processes/nope/audits", HttpStatusCode.NotFound, "Process 'nope' is not in the process table"),
        ["audits: invalid process name"] = Get("/api/processes/no%20pe/audits", HttpStatusCode.BadRequest, "Process name 'no pe' is invalid"),
        ["audits: negative after"] = Get("/api/processes/bgp-1/audits?after=-2", HttpStatusCode.BadRequest, "(got '-2')"),
        ["kill: unknown card"] = Post("/api/cards/nope/kill", null, HttpStatusCode.NotFound, "Unknown card 'nope'"),
        ["kill: the control silo"] = Post("/api/cards/control/kill", null, HttpStatusCode.BadRequest, "'control' is the control silo"),
        ["hang: unknown card"] = Post("/api/cards/nope/hang", null, HttpStatusCode.NotFound, "Unknown card 'nope'"),
        ["hang: the control silo"] = Post("/api/cards/control/hang", null, HttpStatusCode.BadRequest, "'control' is the control silo"),
        ["resume: unknown card"] = Post("/api/cards/nope/resume", null, HttpStatusCode.NotFound, "Unknown card 'nope'"),
        ["declare-dead: unknown card"] = Post("/api/cards/nope/declare-dead", null, HttpStatusCode.NotFound, "Unknown card 'nope'"),
        ["declare-dead: the control silo"] = Post("/api/cards/control/declare-dead", null, HttpStatusCode.BadRequest, "'control' is the control silo"),
        ["switchover: slot not a number"] = Post("/api/slots/x/switchover?to=spare-1", null, HttpStatusCode.BadRequest, "Slot 'x' is not a slot number"),
        ["switchover: slot 0"] = Post("/api/slots/0/switchover?to=spare-1", null, HttpStatusCode.BadRequest, "Slot '0' is not a slot number"),
        ["switchover: no target"] = Post("/api/slots/1/switchover", null, HttpStatusCode.BadRequest, "Say which spare takes the slot over"),
        ["switchover: unknown slot"] = Post("/api/slots/99/switchover?to=spare-1", null, HttpStatusCode.BadRequest, "Slot 99 does not exist"),
        ["switchover: unknown card"] = Post("/api/slots/1/switchover?to=nope", null, HttpStatusCode.NotFound, "Unknown card 'nope'"),
        ["switchover: to the control silo"] = Post("/api/slots/1/switchover?to=control", null, HttpStatusCode.BadRequest, "'control' is the control silo"),
        ["stop: unknown card"] = Post("/api/cards/nope/stop", null, HttpStatusCode.NotFound, "Unknown card 'nope'"),
        ["stop: the control silo"] = Post("/api/cards/control/stop", null, HttpStatusCode.BadRequest, "'control' is the control silo"),
        ["start: no version"] = Post("/api/cards/card-1/start", null, HttpStatusCode.BadRequest, "Say which software version"),
        ["start: a live card"] = Post("/api/cards/control/start?version=1.0.0", null, HttpStatusCode.Conflict, "Card 'control' is alive"),
        ["start: unknown card"] = Post("/api/cards/nope/start?version=1.0.0", null, HttpStatusCode.NotFound, "Card 'nope' was not started by this chassis"),
        ["build: unknown card"] = Get("/api/cards/nope/build", HttpStatusCode.NotFound, "Unknown card 'nope'"),
        ["shadow-restore: unknown card"] = Post("/api/cards/nope/shadow-restore", null, HttpStatusCode.NotFound, "Unknown card 'nope'"),
        ["shadow-restore: unknown process"] = Post("/api/cards/card-1/shadow-restore?process=nope", null, HttpStatusCode.NotFound, "Unknown process 'nope'"),
        ["campaign: malformed JSON"] = new("PUT", "/api/upgrade/campaign", "{\"revision\":", Json, HttpStatusCode.BadRequest, "The body is not a campaign record"),
        ["campaign: JSON null"] = new("PUT", "/api/upgrade/campaign", "null", Json, HttpStatusCode.BadRequest, "The body is JSON null"),
        ["campaign: stale revision"] = new("PUT", "/api/upgrade/campaign", "{\"revision\":7,\"document\":\"{}\"}", Json, HttpStatusCode.Conflict, "changed since it was read (ballot 0 revision 7, now ballot 0 revision 0)"),
        ["wrong method: GET crash"] = Get("/api/processes/bgp-1/crash", HttpStatusCode.MethodNotAllowed, "GET is not allowed on /api/processes/bgp-1/crash"),
        ["wrong method: DELETE chassis"] = new("DELETE", "/api/chassis", null, null, HttpStatusCode.MethodNotAllowed, "DELETE is not allowed on /api/chassis"),
        ["wrong method: PUT routes"] = new("PUT", Routes, "{}", Json, HttpStatusCode.MethodNotAllowed, "PUT is not allowed"),
        ["wrong method: GET cards"] = Get("/api/cards", HttpStatusCode.MethodNotAllowed, "GET is not allowed on /api/cards"),
        ["unknown path"] = Get("/api/nothing", HttpStatusCode.NotFound, "No management API endpoint at GET /api/nothing"),
    };

    private static string Announce(string prefix, string nextHop, string metric) =>
        $"{{\"announce\":[{{\"prefix\":{prefix},\"nextHop\":{nextHop},\"metric\":{metric}}}]}}";

    private static BadRequest Post(string path, string? body, HttpStatusCode status, string detail) => new("POST", path, body, body is null ? null : Json, status, detail);

    private static BadRequest Get(string path, HttpStatusCode status, string detail) => new("GET", path, null, null, status, detail);
}
