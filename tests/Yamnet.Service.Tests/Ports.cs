using System.Net;
using System.Net.Sockets;

namespace Yamnet.Service.Tests;

public static class Ports
{
    /// <summary>A port on 127.0.0.1 that was free a moment ago (bound to port 0 and released).</summary>
    public static int Free()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>Waits until something accepts TCP connections on the port (a server that started), polling connects.</summary>
    public static bool WaitListening(int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            using var c = new TcpClient();
            try
            {
                c.Connect(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException)
            {
                // Not up yet: the connect itself (refused at once) paces the loop; a short yield avoids spinning.
                Thread.Yield();
            }
        }
        return false;
    }
}
