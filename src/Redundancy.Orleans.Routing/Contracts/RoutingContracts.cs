// The records of Redundancy.Orleans.Routing.Contracts carry only the serialization attributes, so that HTTP clients of the
// routing application (Redundancy.Orleans.Routing.Client, the CLI) need neither the Orleans SDK nor Roslyn. Their
// serializers and copiers are generated here, for every silo and Orleans client that runs the routing application.
[assembly: GenerateCodeForDeclaringAssembly(typeof(Redundancy.Orleans.Routing.Route))]
