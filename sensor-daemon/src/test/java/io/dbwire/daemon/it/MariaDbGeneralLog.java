package io.dbwire.daemon.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MariaDB's general log read back: per thread id, the commands in order (Connect, Query, Prepare, Execute,
 * Close stmt, Init DB, Quit…). A command's argument may span lines (a CREATE PROCEDURE body): lines that do not
 * start a new entry continue the previous one. Only loopback TCP connections are kept (the admin's Unix socket
 * is not captured), in the order they connected.
 */
final class MariaDbGeneralLog {
    private static final Pattern ENTRY =
            Pattern.compile("^(?:\\d{6} [ \\d]\\d:\\d\\d:\\d\\d)?\\t+\\s*(\\d+) ([A-Za-z][A-Za-z ]*?)\\t(.*)$");

    record Command(String name, String argument) {}

    static final class Connection {
        final long threadId;
        final List<Command> commands = new ArrayList<>();
        boolean tcp;
        boolean denied;

        Connection(long threadId) {
            this.threadId = threadId;
        }
    }

    private MariaDbGeneralLog() {}

    static List<Connection> read(Path file) throws IOException {
        Map<Long, Connection> byThread = new LinkedHashMap<>();
        Command last = null;
        Connection lastConnection = null;
        StringBuilder argument = null;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            Matcher m = ENTRY.matcher(line);
            if (m.matches()) {
                flush(lastConnection, last, argument);
                long thread = Long.parseLong(m.group(1));
                lastConnection = byThread.computeIfAbsent(thread, Connection::new);
                last = new Command(m.group(2), null);
                argument = new StringBuilder(m.group(3));
            } else if (argument != null) {
                argument.append('\n').append(line);
            }
        }
        flush(lastConnection, last, argument);
        List<Connection> tcp = new ArrayList<>();
        for (Connection c : byThread.values()) {
            if (c.tcp) {
                tcp.add(c);
            }
        }
        return tcp;
    }

    private static void flush(Connection c, Command command, StringBuilder argument) {
        if (c == null || command == null) {
            return;
        }
        String arg = argument.toString();
        if (command.name().equals("Connect")) {
            // "app@127.0.0.1 on shop using TCP/IP" (or "using SSL/TLS"); the admin's Unix socket is "@localhost".
            if (arg.contains("@127.0.0.1 on ")) {
                c.tcp = true;
            } else if (arg.startsWith("Access denied")) {
                c.denied = true;
                return;
            }
        }
        c.commands.add(new Command(command.name(), arg));
    }
}
