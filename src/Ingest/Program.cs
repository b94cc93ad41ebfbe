using Pipeline.Ingest;
using Pipeline.ServiceDefaults;

return await PipelineServiceHost.RunAsync("ingest", args, builder => builder.AddIngest());
