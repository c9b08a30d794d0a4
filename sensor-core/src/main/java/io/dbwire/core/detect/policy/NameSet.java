package io.dbwire.core.detect.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A group of names (users, applications, operations), compared without regard to case; {@code *} in a name
 * matches any run of characters ({@code DBeaver*} matches {@code DBeaver 23.2.0 - Main}).
 */
final class NameSet {
    private final List<Pattern> patterns;

    private NameSet(List<Pattern> patterns) {
        this.patterns = List.copyOf(patterns);
    }

    static NameSet of(List<String> names) {
        List<Pattern> out = new ArrayList<>();
        for (String n : names) {
            StringBuilder re = new StringBuilder();
            for (String part : n.trim().split("\\*", -1)) {
                if (re.length() > 0 || n.trim().startsWith("*")) {
                    re.append(".*");
                }
                re.append(Pattern.quote(part.toLowerCase(Locale.ROOT)));
            }
            out.add(Pattern.compile(re.toString(), Pattern.DOTALL));
        }
        return new NameSet(out);
    }

    boolean isEmpty() {
        return patterns.isEmpty();
    }

    /** Whether the name matches one of the set; null (not seen) never does. */
    boolean contains(String name) {
        if (name == null) {
            return false;
        }
        String n = name.toLowerCase(Locale.ROOT);
        for (Pattern p : patterns) {
            if (p.matcher(n).matches()) {
                return true;
            }
        }
        return false;
    }
}
