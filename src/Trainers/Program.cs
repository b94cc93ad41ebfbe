using Pipeline.Trainers;
using Pipeline.ServiceDefaults;

return await PipelineServiceHost.RunAsync("trainers", args, builder => builder.AddTrainers());
