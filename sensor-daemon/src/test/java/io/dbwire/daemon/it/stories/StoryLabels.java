package io.dbwire.daemon.it.stories;

import io.dbwire.core.detect.alert.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * testdata/stories/labels.tsv: what each recorded story is, and for an attack when it is laid out, from which
 * client, and which detection must report it at what severity at least. Tab-separated, {@code #} comments; columns
 * story, protocol, kind, attack_class, expect, start_s, end_s, day, at, client, copies, note.
 */
final class StoryLabels {
    /** One detection an attack must raise: {@code detection:severity} in the file. */
    record Expectation(String detection, Severity minSeverity) {
        static Expectation parse(String text) {
            String[] parts = text.split(":");
            if (parts.length != 2) {
                throw new IllegalArgumentException("expectation " + text + " (expected: detection:severity)");
            }
            return new Expectation(parts[0], Severity.valueOf(parts[1].toUpperCase(Locale.ROOT)));
        }

        @Override
        public String toString() {
            return detection + " ≥ " + minSeverity.json();
        }
    }

    /**
     * One line of the file.
     *
     * @param startSeconds where the labelled activity starts in the story's capture (seconds after its first packet)
     * @param endSeconds   where it ends ({@code -1}: the end of the capture)
     * @param day          day of the layout (1-based) an attack is laid on; 0 for routine stories
     * @param at           time of day (UTC) of the attack's first copy
     * @param client       the attack's client address, or {@code pg-app-hosts}: every PostgreSQL application host,
     *                     in place of the application's own traffic
     * @param copies       copies laid one minute apart
     */
    record Label(String story, String protocol, String kind, String attackClass, List<Expectation> expect,
            double startSeconds, double endSeconds, int day, LocalTime at, String client, int copies, String note) {
        boolean attack() {
            return kind.equals("attack");
        }
    }

    private StoryLabels() {}

    static List<Label> read(Path file) throws IOException {
        List<Label> labels = new ArrayList<>();
        int lineNo = 0;
        for (String line : Files.readAllLines(file)) {
            lineNo++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length != 12) {
                throw new IOException(file + ":" + lineNo + ": " + f.length + " columns (expected: 12)");
            }
            List<Expectation> expect = new ArrayList<>();
            if (!f[4].equals("-")) {
                for (String e : f[4].split("\\+")) {
                    expect.add(Expectation.parse(e));
                }
            }
            boolean attack = f[2].equals("attack");
            labels.add(new Label(f[0], f[1], f[2], f[3], List.copyOf(expect), Double.parseDouble(f[5]),
                    f[6].equals("end") ? -1 : Double.parseDouble(f[6]), attack ? Integer.parseInt(f[7]) : 0,
                    attack ? LocalTime.parse(f[8]) : null, attack ? f[9] : null,
                    attack ? Integer.parseInt(f[10]) : 0, f[11]));
        }
        return List.copyOf(labels);
    }
}
