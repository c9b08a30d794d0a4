package io.dbwire.daemon.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns Jackson's strict duplicate detection error into one line naming the full key, e.g. {@code tcp.max_flows}. */
final class DuplicateKey {
    private static final Pattern DUPLICATE = Pattern.compile("^Duplicate field '([^']*)'");

    private DuplicateKey() {}

    /** The config error for a duplicate key, or null when {@code e} is about something else. */
    static ConfigException from(JsonProcessingException e) {
        Matcher m = DUPLICATE.matcher(e.getOriginalMessage());
        if (!m.find()) {
            return null;
        }
        String key = m.group(1);
        String section = "";
        JsonParser p = e instanceof StreamReadException r ? r.getProcessor() : null;
        if (p != null && p.getParsingContext() != null) {
            // The context is the mapping that holds the key: its path names the section.
            String pointer = p.getParsingContext().pathAsPointer().toString();
            int last = pointer.lastIndexOf('/');
            section = last > 0 ? pointer.substring(1, last).replace('/', '.') + "." : "";
        }
        String line = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
        return new ConfigException(section + key + ": stated twice" + line);
    }
}
