"""A minimal PostgreSQL or MySQL/MariaDB client over TLS with an NSS key log (Python's ssl keylog_filename).

Used by TlsCaptureTest: libpq 15 and the MariaDB client cannot log keys, Python's ssl can. It speaks just
enough protocol: PostgreSQL StartupMessage, SCRAM-SHA-256, simple Query, Terminate; MySQL Handshake v10,
SSLRequest, HandshakeResponse41 with mysql_native_password, COM_QUERY, COM_QUIT.

usage: tls_client.py pg|mysql HOST PORT USER PASSWORD DATABASE KEYLOG|- TLSVERSION|none QUERY...
  KEYLOG '-' and TLSVERSION 'none' run the same session in clear.
"""
import base64
import hashlib
import hmac
import os
import socket
import ssl
import struct
import sys


def recvn(s, n):
    out = b""
    while len(out) < n:
        chunk = s.recv(n - len(out))
        if not chunk:
            raise EOFError("connection closed")
        out += chunk
    return out


def tls_wrap(sock, version, keylog):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    if keylog != "-":
        ctx.keylog_filename = keylog
    v = ssl.TLSVersion.TLSv1_3 if version == "1.3" else ssl.TLSVersion.TLSv1_2
    ctx.minimum_version = v
    ctx.maximum_version = v
    return ctx.wrap_socket(sock, server_hostname="db.dbwire.test")


# ---- PostgreSQL ---------------------------------------------------------------------------------------------

def pg(host, port, user, password, db, keylog, version, queries):
    s = socket.create_connection((host, port))
    if version != "none":
        s.sendall(struct.pack("!ii", 8, 80877103))  # SSLRequest
        if recvn(s, 1) != b"S":
            raise SystemExit("server refused TLS")
        s = tls_wrap(s, version, keylog)

    def send(t, body):
        s.sendall(t + struct.pack("!i", 4 + len(body)) + body)

    def read():
        t = recvn(s, 1)
        n = struct.unpack("!i", recvn(s, 4))[0]
        return t, recvn(s, n - 4)

    params = b"user\0" + user.encode() + b"\0database\0" + db.encode() + b"\0application_name\0tls-py\0\0"
    s.sendall(struct.pack("!ii", 8 + len(params), 196608) + params)
    nonce = base64.b64encode(os.urandom(18)).decode()
    first_bare = "n=,r=" + nonce
    while True:
        t, body = read()
        if t == b"E":
            raise SystemExit("login failed: " + body.decode(errors="replace"))
        if t == b"Z":
            break
        if t != b"R":
            continue
        code = struct.unpack("!i", body[:4])[0]
        if code == 10:  # AuthenticationSASL
            first = ("n,," + first_bare).encode()
            send(b"p", b"SCRAM-SHA-256\0" + struct.pack("!i", len(first)) + first)
        elif code == 11:  # AuthenticationSASLContinue
            server_first = body[4:].decode()
            attrs = dict(kv.split("=", 1) for kv in server_first.split(","))
            salted = hashlib.pbkdf2_hmac("sha256", password.encode(), base64.b64decode(attrs["s"]), int(attrs["i"]))
            client_key = hmac.new(salted, b"Client Key", "sha256").digest()
            stored = hashlib.sha256(client_key).digest()
            without_proof = "c=biws,r=" + attrs["r"]
            auth = ",".join([first_bare, server_first, without_proof]).encode()
            sig = hmac.new(stored, auth, "sha256").digest()
            proof = bytes(a ^ b for a, b in zip(client_key, sig))
            send(b"p", (without_proof + ",p=" + base64.b64encode(proof).decode()).encode())
    for q in queries:
        send(b"Q", q.encode() + b"\0")
        while read()[0] != b"Z":
            pass
    send(b"X", b"")
    s.close()


# ---- MySQL / MariaDB ----------------------------------------------------------------------------------------

CLIENT_LONG_PASSWORD = 0x1
CLIENT_CONNECT_WITH_DB = 0x8
CLIENT_PROTOCOL_41 = 0x200
CLIENT_SSL = 0x800
CLIENT_TRANSACTIONS = 0x2000
CLIENT_SECURE_CONNECTION = 0x8000
CLIENT_MULTI_RESULTS = 0x20000
CLIENT_PLUGIN_AUTH = 0x80000


def native_password(password, scramble):
    p1 = hashlib.sha1(password.encode()).digest()
    p2 = hashlib.sha1(p1).digest()
    p3 = hashlib.sha1(scramble + p2).digest()
    return bytes(a ^ b for a, b in zip(p1, p3))


def mysql(host, port, user, password, db, keylog, version, queries):
    s = socket.create_connection((host, port))
    box = [s]

    def read():
        h = recvn(box[0], 4)
        return h[3], recvn(box[0], h[0] | h[1] << 8 | h[2] << 16)

    def send(body, seq):
        box[0].sendall(struct.pack("<I", len(body))[:3] + bytes([seq]) + body)

    _, g = read()
    end = g.index(b"\0", 1)
    p = end + 1 + 4
    scramble = g[p:p + 8]
    p += 8 + 1 + 2 + 1 + 2 + 2
    auth_len = g[p]
    p += 1 + 10
    scramble += g[p:p + max(13, auth_len - 8) - 1]
    caps = (CLIENT_LONG_PASSWORD | CLIENT_CONNECT_WITH_DB | CLIENT_PROTOCOL_41 | CLIENT_TRANSACTIONS
            | CLIENT_SECURE_CONNECTION | CLIENT_MULTI_RESULTS | CLIENT_PLUGIN_AUTH)
    seq = 1
    if version != "none":
        caps |= CLIENT_SSL
        send(struct.pack("<IIB23x", caps, 1 << 24, 33), seq)  # SSLRequest
        seq += 1
        box[0] = tls_wrap(s, version, keylog)
    token = native_password(password, scramble[:20])
    resp = (struct.pack("<IIB23x", caps, 1 << 24, 33) + user.encode() + b"\0" + bytes([len(token)]) + token
            + db.encode() + b"\0" + b"mysql_native_password\0")
    send(resp, seq)
    seq, a = read()
    if a[0] == 0xFE:  # AuthSwitchRequest
        z = a.index(b"\0", 1)
        send(native_password(password, a[z + 1:z + 21]), seq + 1)
        seq, a = read()
    if a[0] != 0x00:
        raise SystemExit("login failed: " + a[3:].decode(errors="replace"))
    for q in queries:
        send(b"\x03" + q.encode(), 0)
        _, first = read()
        if first[0] in (0x00, 0xFF):
            continue  # OK or ERR
        while True:  # column definitions up to EOF
            _, pk = read()
            if pk[0] == 0xFE and len(pk) < 9:
                break
        while True:  # rows up to EOF or ERR
            _, pk = read()
            if (pk[0] == 0xFE and len(pk) < 9) or pk[0] == 0xFF:
                break
    send(b"\x01", 0)  # COM_QUIT
    box[0].close()


if __name__ == "__main__":
    kind, host, port, user, password, db, keylog, version = sys.argv[1:9]
    (pg if kind == "pg" else mysql)(host, int(port), user, password, db, keylog, version, sys.argv[9:])
