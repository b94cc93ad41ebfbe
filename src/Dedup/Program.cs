using Pipeline.Dedup;
using Pipeline.ServiceDefaults;

return await PipelineServiceHost.RunAsync("dedup", args, builder => builder.AddDedup());
