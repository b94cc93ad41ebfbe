using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Pipeline.IntegrationTests.Infrastructure;

/// <summary>
/// Just enough of Seq's ingestion API for the Serilog sink: records every request and answers
/// 201 <c>{"MinimumLevelAccepted":null}</c>. Listens on 127.0.0.1 only.
/// </summary>
public sealed class FakeSeqServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public FakeSeqServer()
    {
        Url = $"http://127.0.0.1:{FreePort.Next()}/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string Url { get; }

    public ConcurrentQueue<SeqRequest> Requests { get; } = new();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            Requests.Enqueue(new SeqRequest(
                context.Request.HttpMethod,
                context.Request.Url?.AbsolutePath ?? "",
                context.Request.ContentType,
                context.Request.Headers["X-Seq-ApiKey"],
                body));
            var answer = Encoding.UTF8.GetBytes("{\"MinimumLevelAccepted\":null}");
            context.Response.StatusCode = 201;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(answer);
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}

public sealed record SeqRequest(string Method, string Path, string? ContentType, string? ApiKey, string Body);
