using System.Net.Sockets;
using System.Text;

namespace Yamnet.Service.Hosting;

/// <summary>
/// systemd's readiness protocol (sd_notify(3)) for <c>Type=notify</c> units: datagrams such as
/// <c>READY=1</c>, <c>STATUS=…</c> and <c>STOPPING=1</c> sent to the socket named by
/// <c>$NOTIFY_SOCKET</c> (a path, or '@' for the abstract namespace). Without the variable (not run by
/// systemd) every call does nothing. Written here rather than taken from Microsoft.Extensions.Hosting.Systemd:
/// the listener is not a generic host, and this is the whole protocol.
/// </summary>
public sealed class SystemdNotifier : IDisposable
{
    private readonly Socket? _socket;
    private readonly UnixDomainSocketEndPoint? _endpoint;

    public SystemdNotifier(string? notifySocket = null)
    {
        notifySocket ??= Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        if (string.IsNullOrEmpty(notifySocket)) return;
        // '@' marks Linux's abstract namespace, which .NET spells with a leading NUL.
        _endpoint = new UnixDomainSocketEndPoint(notifySocket[0] == '@' ? "\0" + notifySocket[1..] : notifySocket);
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    }

    public bool Enabled => _socket is not null;

    public void Notify(string state)
    {
        if (_socket is null) return;
        try
        {
            _socket.SendTo(Encoding.UTF8.GetBytes(state), _endpoint!);
        }
        catch (SocketException)
        {
            // systemd went away or never listened: readiness is best effort
        }
    }

    public void Dispose() => _socket?.Dispose();
}
