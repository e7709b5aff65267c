using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace EnergyMonitor.Integration.Tests.Infrastructure;

/// <summary>A request as the endpoint received it.</summary>
public sealed record ReceivedRequest(string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body);

/// <summary>
/// A real HTTP listener on a free loopback port, standing in for a webhook receiver or a robot platform: it answers
/// each request with what <c>answer</c> returns (status and body), and keeps every request it got.
/// </summary>
public sealed class HttpEndpoint : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<ReceivedRequest, (int Status, string Body)> _answer;
    private readonly Task _loop;

    public HttpEndpoint(Func<ReceivedRequest, (int Status, string Body)> answer, int? port = null)
    {
        _answer = answer;
        Port = port ?? FreePort.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public Uri Url(string pathAndQuery) => new($"http://127.0.0.1:{Port}{pathAndQuery}");

    public ConcurrentQueue<ReceivedRequest> Received { get; } = new();

    /// <summary>Headers to answer with, by the status answered (a 503's Retry-After, say); none by default.</summary>
    public Func<int, IReadOnlyDictionary<string, string>>? ResponseHeaders { get; init; }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var headers = context.Request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
            var request = new ReceivedRequest(context.Request.Url!.AbsolutePath, context.Request.Url.Query, headers, body);
            Received.Enqueue(request);
            var (status, answer) = _answer(request);
            var bytes = Encoding.UTF8.GetBytes(answer);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json; charset=utf-8";
            foreach (var (name, value) in ResponseHeaders?.Invoke(status) ?? new Dictionary<string, string>())
            {
                context.Response.Headers[name] = value;
            }

            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}
