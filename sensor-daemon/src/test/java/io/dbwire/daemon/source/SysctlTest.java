package io.dbwire.daemon.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SysctlTest {
    @TempDir
    Path dir;

    /** The value the kernel reports to a plain read(2) of the whole file (as cat does), compared with ours. */
    @Test
    void rmemMaxIsReadWhole() throws Exception {
        assumeTrue(Files.exists(Sysctl.RMEM_MAX), "not Linux");
        Process cat = new ProcessBuilder("cat", Sysctl.RMEM_MAX.toString()).start();
        long expected = Long.parseLong(new String(cat.getInputStream().readAllBytes()).trim());
        cat.waitFor();

        assertThat(Sysctl.readLong(Sysctl.RMEM_MAX)).isEqualTo(expected);
    }

    @Test
    void unreadableOrNonNumericIsMinusOne() throws Exception {
        assertThat(Sysctl.readLong(dir.resolve("missing"))).isEqualTo(-1);
        assertThat(Sysctl.readLong(Files.writeString(dir.resolve("text"), "abc\n"))).isEqualTo(-1);
        assertThat(Sysctl.readLong(Files.writeString(dir.resolve("tabs"), "4096\t87380\t6291456\n"))).isEqualTo(4096);
    }
}
