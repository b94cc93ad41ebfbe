using Pipeline.Sampler;
using Pipeline.ServiceDefaults;

return await PipelineServiceHost.RunAsync("sampler", args, builder => builder.AddSampler());
