#!/usr/bin/env python3
"""Ask each broker of a bootstrap list which brokers its metadata lists.

    metadata.py 127.0.0.1:p1,127.0.0.1:p2,... [N]

Prints one line per bootstrap broker: "host:port ids..." (or "host:port
down: reason"). Exits 0 when every one of them answers and lists at least N
brokers (default: as many as the list has), else 1. cluster.sh uses it to
wait for a cluster in ~50 ms instead of starting a JVM for Kafka's CLI.

A KRaft broker leaves fenced brokers out of Metadata responses, so a broker
counted here is registered, unfenced and can lead or follow partitions.
The request is Metadata v4 (the oldest Kafka 4.x still serves; not a
"flexible" version, so no tagged fields) for no topics.
"""
import socket
import struct
import sys


def recv_exact(sock, n):
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ConnectionError("connection closed")
        buf += chunk
    return buf


def broker_ids(host, port, timeout=2.0):
    client = b"sdmx-hub-test"
    # Request header v1: api_key=3 (Metadata), api_version=4, correlation_id,
    # client_id. Body v4: topics = [] (none), allow_auto_topic_creation=false.
    req = struct.pack(">hhih", 3, 4, 1, len(client)) + client
    req += struct.pack(">ib", 0, 0)
    with socket.create_connection((host, port), timeout=timeout) as s:
        s.settimeout(timeout)
        s.sendall(struct.pack(">i", len(req)) + req)
        size = struct.unpack(">i", recv_exact(s, 4))[0]
        body = recv_exact(s, size)
    # Response: correlation_id, throttle_time_ms, then brokers array of
    # (node_id int32, host string, port int32, rack nullable string).
    pos = 8
    (count,) = struct.unpack_from(">i", body, pos)
    pos += 4
    ids = []
    for _ in range(count):
        (node_id, hlen) = struct.unpack_from(">ih", body, pos)
        pos += 6 + hlen + 4
        (rlen,) = struct.unpack_from(">h", body, pos)
        pos += 2 + max(rlen, 0)
        ids.append(node_id)
    return sorted(ids)


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    servers = [s for s in sys.argv[1].split(",") if s]
    want = int(sys.argv[2]) if len(sys.argv) == 3 else len(servers)
    ok = True
    for server in servers:
        host, _, port = server.rpartition(":")
        try:
            ids = broker_ids(host, int(port))
            print(server, *ids)
            ok = ok and len(ids) >= want
        except (OSError, struct.error) as e:
            print(server, "down:", e)
            ok = False
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
