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
 * PostgreSQL's own CSV log (log_statement=all, log_min_duration_statement=0) read back as what each client
 * connection did: the ground truth a capture's records are compared with.
 * Columns: https://www.postgresql.org/docs/15/runtime-config-logging.html#RUNTIME-CONFIG-LOGGING-CSVLOG
 */
final class ServerLog {
    private static final int CONNECTION_FROM = 4;
    private static final int ERROR_SEVERITY = 11;
    private static final int SQL_STATE = 12;
    private static final int MESSAGE = 13;
    private static final int QUERY = 19;
    private static final int PROCESS_ID = 3;
    private static final int APPLICATION_NAME = 22;
    private static final Pattern DURATION = Pattern.compile("^duration: ([0-9.]+) ms$");
    private static final Pattern EXECUTE = Pattern.compile("^execute [^:]+: (.*)$", Pattern.DOTALL);

    /** A statement as the server logged it, with its error and duration when the log gave them. */
    static final class Statement {
        final String text;
        final boolean extended;
        String errorCode;
        Double durationMs;

        Statement(String text, boolean extended) {
            this.text = text;
            this.extended = extended;
        }

        @Override
        public String toString() {
            return text + (errorCode == null ? "" : " [" + errorCode + "]");
        }
    }

    /** What one client connection (by its source port) did. */
    static final class Connection {
        final List<Statement> statements = new ArrayList<>();
        boolean authorized;
        String loginError;
        /** Backend process id (what BackendKeyData told the client), 0 if no row had it. */
        int pid;
        /** application_name of the connection's last row (empty before the startup packet was read). */
        String application = "";
    }

    final Map<Integer, Connection> connections = new LinkedHashMap<>();

    static ServerLog read(Path csv) throws IOException {
        ServerLog log = new ServerLog();
        for (List<String> row : parseCsv(Files.readString(csv, StandardCharsets.UTF_8))) {
            log.add(row);
        }
        return log;
    }

    private void add(List<String> row) {
        String from = row.get(CONNECTION_FROM);
        int colon = from.lastIndexOf(':');
        if (colon < 0) {
            return; // Unix socket or background process: not on the captured TCP port
        }
        Connection c = connections.computeIfAbsent(Integer.parseInt(from.substring(colon + 1)), p -> new Connection());
        if (row.size() > APPLICATION_NAME) {
            c.application = row.get(APPLICATION_NAME);
            c.pid = row.get(PROCESS_ID).isEmpty() ? c.pid : Integer.parseInt(row.get(PROCESS_ID));
        }
        String severity = row.get(ERROR_SEVERITY);
        String message = row.get(MESSAGE);
        if (severity.equals("FATAL") || severity.equals("ERROR") && c.statements.isEmpty() && !c.authorized) {
            c.loginError = row.get(SQL_STATE);
            return;
        }
        if (severity.equals("ERROR")) {
            // A statement that failed before execution (a Parse error in the extended protocol) has no
            // "execute" line: the error row's query column is then its only trace.
            Statement last = c.statements.isEmpty() ? null : c.statements.get(c.statements.size() - 1);
            if (last == null || last.errorCode != null || !last.text.equals(row.get(QUERY))) {
                last = new Statement(row.get(QUERY), true);
                c.statements.add(last);
            }
            last.errorCode = row.get(SQL_STATE);
            return;
        }
        if (message.startsWith("connection authorized:")) {
            c.authorized = true;
        } else if (message.startsWith("fastpath function call: ")) {
            // FunctionCall ('F'): logged by name and OID when log_statement=all
            c.statements.add(new Statement(message, true));
        } else if (message.startsWith("statement: ")) {
            c.statements.add(new Statement(message.substring("statement: ".length()), false));
        } else {
            Matcher execute = EXECUTE.matcher(message);
            Matcher duration = DURATION.matcher(message);
            if (execute.matches()) {
                c.statements.add(new Statement(execute.group(1), true));
            } else if (duration.matches() && !c.statements.isEmpty()) {
                c.statements.get(c.statements.size() - 1).durationMs = Double.parseDouble(duration.group(1));
            }
        }
    }

    /** RFC 4180 rows: quoted fields may hold commas, doubled quotes and new lines. */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    field.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (ch == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else {
                field.append(ch);
            }
        }
        return rows;
    }
}
