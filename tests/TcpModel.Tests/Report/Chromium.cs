using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TcpModel.Tests.Report;

/// <summary>
/// A headless Chromium driven over the DevTools protocol (a WebSocket; no browser download, no
/// driver package): open a page, evaluate script, capture screenshots. Started as this machine's
/// probe starts it (no sandbox as root, no background networking: the network here is closed).
/// </summary>
internal sealed class Chromium : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ClientWebSocket _socket = new();
    private readonly string _profile;
    private int _id;

    private Chromium(Process process, string profile) { _process = process; _profile = profile; }

    /// <summary>The Chromium executable on this machine, or null.</summary>
    public static string? Find()
    {
        foreach (var candidate in new[] { Environment.GetEnvironmentVariable("CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" })
            if (!string.IsNullOrEmpty(candidate) && File.Exists(candidate)) return candidate;
        return null;
    }

    public static async Task<Chromium> StartAsync(string exe, string url, int width, int height)
    {
        var profile = Directory.CreateTempSubdirectory("tcpmodel-chromium-").FullName;
        var psi = new ProcessStartInfo(exe) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                     "--allow-file-access-from-files", $"--window-size={width},{height}", "--remote-debugging-port=0",
                     $"--user-data-dir={profile}", url })
            psi.ArgumentList.Add(a);
        var process = Process.Start(psi) ?? throw new InvalidOperationException("chromium did not start");
        process.ErrorDataReceived += (_, _) => { };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var browser = new Chromium(process, profile);
        var portFile = Path.Combine(profile, "DevToolsActivePort");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!File.Exists(portFile) || new FileInfo(portFile).Length == 0)
        {
            if (process.HasExited || DateTime.UtcNow > deadline) throw new InvalidOperationException("chromium gave no DevTools port");
            await Task.Delay(50);
        }
        var port = File.ReadAllLines(portFile)[0].Trim();
        using var http = new HttpClient();
        string? ws = null;
        while (ws is null)
        {
            var list = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/json/list"))!.AsArray();
            ws = list.FirstOrDefault(t => (string?)t!["type"] == "page")?["webSocketDebuggerUrl"]?.GetValue<string>();
            if (ws is null) { if (DateTime.UtcNow > deadline) throw new InvalidOperationException("no page target"); await Task.Delay(50); }
        }
        await browser._socket.ConnectAsync(new Uri(ws), CancellationToken.None);
        return browser;
    }

    public async Task<JsonNode?> SendAsync(string method, object? parameters = null)
    {
        int id = ++_id;
        var message = JsonSerializer.Serialize(new { id, method, @params = parameters ?? new { } });
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[1 << 16];
        while (true)
        {
            using var ms = new MemoryStream();
            WebSocketReceiveResult r;
            do
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                r = await _socket.ReceiveAsync(buffer, cts.Token);
                ms.Write(buffer, 0, r.Count);
            } while (!r.EndOfMessage);
            var node = JsonNode.Parse(Encoding.UTF8.GetString(ms.ToArray()))!;
            if ((int?)node["id"] != id) continue;
            if (node["error"] is { } error) throw new InvalidOperationException($"{method}: {error.ToJsonString()}");
            return node["result"];
        }
    }

    /// <summary>Evaluates a JavaScript expression in the page and returns its value as a string (JSON for objects).</summary>
    public async Task<string> EvalAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new { expression, returnByValue = true, awaitPromise = true });
        if (result?["exceptionDetails"] is { } ex) throw new InvalidOperationException($"script failed: {ex.ToJsonString()}");
        var value = result?["result"]?["value"];
        return value is null ? "" : value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
    }

    public async Task WaitForAsync(string condition, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (await EvalAsync($"(function () {{ try {{ return !!({condition}); }} catch (e) {{ return false; }} }})()") != "true")
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the page never satisfied: {condition}");
            await Task.Delay(50);
        }
    }

    public async Task ScreenshotAsync(string path, int width, int height)
    {
        await SendAsync("Emulation.setDeviceMetricsOverride", new { width, height, deviceScaleFactor = 1, mobile = width < 600 });
        var shot = await SendAsync("Page.captureScreenshot", new { format = "png" });
        await File.WriteAllBytesAsync(path, Convert.FromBase64String(shot!["data"]!.GetValue<string>()));
    }

    public async ValueTask DisposeAsync()
    {
        try { if (_socket.State == WebSocketState.Open) await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None); }
        catch (WebSocketException) { }
        _socket.Dispose();
        try { if (!_process.HasExited) _process.Kill(entireProcessTree: true); _process.WaitForExit(5000); } catch (InvalidOperationException) { }
        _process.Dispose();
        try { Directory.Delete(_profile, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
