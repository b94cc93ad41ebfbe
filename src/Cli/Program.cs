using Pipeline.Cli;
using Pipeline.Cli.Output;
using Pipeline.ServiceDefaults;

try
{
    // Exceptions reach the handler below: a configuration mistake (Ingest__OutputCompression=Bogus) is one
    // line naming the key, not System.CommandLine's "Unhandled exception" and a stack trace.
    return await CommandCatalog.Build().Parse(args).InvokeAsync(new System.CommandLine.InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception ex) when (StartupErrors.Describe(ex) is { } line)
{
    return CliOutput.Fail($"configuration error: {line}", args.Contains("--json"), exitCode: 2);
}
catch (OperationCanceledException)
{
    // Ctrl+C: the command was asked to stop; 130 is the shell's code for SIGINT.
    return 130;
}
catch (Exception ex)
{
    // What System.CommandLine's own handler printed, and its exit code, for everything else.
    Console.Error.WriteLine($"Unhandled exception: {ex}");
    return 1;
}
