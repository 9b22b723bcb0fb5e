#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""aead_client.py: a TLS 1.3 client that knows the record keys of its own
connection, for the record-key scan (tests/provider/nginx_aead.sh).

    aead_client.py PORT CAFILE KEYLOG NEEDLES

Connects to 127.0.0.1:PORT (certificate verified against CAFILE), writes the
connection's traffic secrets to KEYLOG (the standard SSLKEYLOGFILE format),
derives from them the two application record keys exactly as RFC 8446 7.3
does (HKDF-Expand-Label(secret, "key", "", key length)), writes them in hex
to NEEDLES (server write key first), and only then sends a request carrying
"X-Keyscan: 1" on the same connection -- so the server-side scanner looks
for keys that are live at that moment.  Prints the negotiated suite and the
reply's last line."""
import hashlib
import hmac
import socket
import ssl
import sys

SUITES = {  # suite -> (hash, key length)
    "TLS_AES_128_GCM_SHA256": (hashlib.sha256, 16),
    "TLS_AES_256_GCM_SHA384": (hashlib.sha384, 32),
    "TLS_CHACHA20_POLY1305_SHA256": (hashlib.sha256, 32),
}


def expand_label(secret, label, length, hashfn):
    full = b"tls13 " + label
    info = length.to_bytes(2, "big") + bytes([len(full)]) + full + b"\x00"
    out, block, i = b"", b"", 1
    while len(out) < length:
        block = hmac.new(secret, block + info + bytes([i]), hashfn).digest()
        out += block
        i += 1
    return out[:length]


def main():
    port, cafile, keylog, needles = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    ctx = ssl.create_default_context(cafile=cafile)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    ctx.keylog_filename = keylog
    with socket.create_connection(("127.0.0.1", port), timeout=20) as raw:
        with ctx.wrap_socket(raw, server_hostname="localhost") as s:
            suite = s.cipher()[0]
            hashfn, keylen = SUITES[suite]
            secrets = {}
            with open(keylog) as f:
                for line in f:
                    parts = line.split()
                    if len(parts) == 3:
                        secrets[parts[0]] = bytes.fromhex(parts[2])
            keys = [expand_label(secrets[n], b"key", keylen, hashfn)
                    for n in ("SERVER_TRAFFIC_SECRET_0", "CLIENT_TRAFFIC_SECRET_0")]
            with open(needles, "w") as f:
                for k in keys:
                    f.write(k.hex() + "\n")
            s.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Keyscan: 1\r\nConnection: close\r\n\r\n")
            reply = b""
            while True:
                try:
                    chunk = s.recv(4096)
                except (ssl.SSLError, OSError):
                    break
                if not chunk:
                    break
                reply += chunk
    last = reply.decode(errors="replace").strip().splitlines()
    print("suite %s; reply: %s" % (suite, last[-1] if last else "(none)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
