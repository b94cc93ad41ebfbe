using Pipeline.Orchestrator;
using Pipeline.ServiceDefaults;

return await PipelineServiceHost.RunAsync("orchestrator", args, builder => builder.AddOrchestrator());
