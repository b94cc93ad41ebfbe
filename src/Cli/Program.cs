using Pipeline.Cli;

return await CommandCatalog.Build().Parse(args).InvokeAsync();
