using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Cowboys.Sandbox.Api;

/// <summary>
/// The server's side of `kubectl exec` for a command without a terminal: the websocket
/// remote-command protocol v5.channel.k8s.io (v4 accepted too), which kubectl 1.30 and later
/// speak first. Every binary message starts with its stream's byte: 0 stdin, 1 stdout, 2 stderr,
/// 3 the error stream, which carries one meta/v1 Status as the command ends (Success, or
/// NonZeroExitCode with the exit code as the cause kubectl exits with), and in v5 255 to close a
/// stream (the client's end of stdin). Then the server closes the connection normally.
/// SPDY, which kubectl falls back to, and terminals (tty) are refused with a message saying so.
/// </summary>
internal static class ExecStream
{
    public const string V5 = "v5.channel.k8s.io";
    public const string V4 = "v4.channel.k8s.io";
    private const byte Stdin = 0, Stdout = 1, Stderr = 2, Error = 3, Close = 255;

    /// <summary>The websocket subprotocol to answer with; an <see cref="ApiError"/> if the request cannot be served.</summary>
    public static string Negotiate(HttpContext ctx)
    {
        if (!ctx.WebSockets.IsWebSocketRequest)
        {
            var upgrade = ctx.Request.Headers.Upgrade.ToString();
            throw ApiError.BadRequest(upgrade.Length > 0
                ? $"the sandbox serves exec over websockets ({V5}) only, not {upgrade}: use kubectl 1.30 or later"
                : "Upgrade request required");
        }
        var offered = ctx.WebSockets.WebSocketRequestedProtocols;
        return new[] { V5, V4 }.FirstOrDefault(offered.Contains)
            ?? throw ApiError.BadRequest($"none of the offered protocols ({string.Join(", ", offered)}) is served: the sandbox speaks {V5} and {V4}");
    }

    /// <summary>Runs the exec'd process to its end over an accepted websocket.</summary>
    public static async Task ServeAsync(HttpContext ctx, string protocol, Func<Task<Process>> start, bool stdin, IReadOnlyList<string> argv,
        CancellationToken stopping)
    {
        using var socket = await ctx.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { SubProtocol = protocol }).ConfigureAwait(false);
        using var gone = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, stopping);
        using var sending = new SemaphoreSlim(1);
        async Task SendAsync(byte stream, ReadOnlyMemory<byte> data)
        {
            var message = new byte[data.Length + 1];
            message[0] = stream;
            data.CopyTo(message.AsMemory(1));
            await sending.WaitAsync(gone.Token).ConfigureAwait(false);
            try
            {
                await socket.SendAsync(message, WebSocketMessageType.Binary, endOfMessage: true, gone.Token).ConfigureAwait(false);
            }
            finally
            {
                sending.Release();
            }
        }
        async Task PumpAsync(Stream from, byte stream)
        {
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await from.ReadAsync(buffer, gone.Token).ConfigureAwait(false)) > 0)
            {
                await SendAsync(stream, buffer.AsMemory(0, read)).ConfigureAwait(false);
            }
        }
        Process process;
        try
        {
            process = await start().ConfigureAwait(false);
        }
        catch (Exception e) when (e is ApiError or System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            // the container stopped since the request was checked, or the runtime could not start the command
            await SendAsync(Error, Encoding.UTF8.GetBytes(StartFailure($"failed to exec in container: {e.Message}").ToJsonString())).ConfigureAwait(false);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", gone.Token).ConfigureAwait(false);
            return;
        }
        using var owned = process;
        if (!stdin) process.StandardInput.Close();
        // the receive loop also answers the client's pings; it ends when the client closes or goes away
        var receiving = ReceiveAsync(socket, stdin ? process.StandardInput.BaseStream : null, gone.Token);
        try
        {
            await Task.WhenAll(PumpAsync(process.StandardOutput.BaseStream, Stdout), PumpAsync(process.StandardError.BaseStream, Stderr),
                process.WaitForExitAsync(gone.Token)).ConfigureAwait(false);
            await SendAsync(Error, Encoding.UTF8.GetBytes(ExitStatus(process.ExitCode, argv).ToJsonString())).ConfigureAwait(false);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", gone.Token).ConfigureAwait(false);
            await receiving.WaitAsync(TimeSpan.FromSeconds(5), gone.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException or TimeoutException)
        {
            // the client went away (Ctrl-C) or the sandbox stops: the command goes with it, as with a real runtime's exec
        }
        finally
        {
            if (!process.HasExited) Workloads.ProcessLauncher.KillGroup(process.Id);
        }
    }

    /// <summary>The Status the error stream carries as the command ends, as the kubelet writes it.</summary>
    public static JsonObject ExitStatus(int exitCode, IReadOnlyList<string> argv) => exitCode == 0
        ? new JsonObject { ["metadata"] = new JsonObject(), ["status"] = "Success" }
        : new JsonObject
        {
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = $"command terminated with non-zero exit code: error executing command [{string.Join(' ', argv)}], exit code {exitCode}",
            ["reason"] = "NonZeroExitCode",
            ["details"] = new JsonObject
            {
                ["causes"] = new JsonArray(new JsonObject { ["reason"] = "ExitCode", ["message"] = exitCode.ToString(CultureInfo.InvariantCulture) }),
            },
        };

    /// <summary>The Status for a command that could not start (no such executable).</summary>
    public static JsonObject StartFailure(string message) => new()
    {
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = message,
        ["reason"] = "InternalError",
    };

    private static async Task ReceiveAsync(WebSocket socket, Stream? stdin, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                message.SetLength(0);
                WebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer, ct).ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close) return;
                    message.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage);
                var bytes = message.GetBuffer().AsMemory(0, (int)message.Length);
                if (bytes.Length == 0 || stdin is null) continue;
                if (bytes.Span[0] == Stdin)
                {
                    await stdin.WriteAsync(bytes[1..], ct).ConfigureAwait(false);
                    await stdin.FlushAsync(ct).ConfigureAwait(false);
                }
                else if (bytes.Span[0] == Close && bytes.Length > 1 && bytes.Span[1] == Stdin)
                {
                    stdin.Close();
                    stdin = null;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
            // the connection or the process's stdin is gone
        }
    }
}
