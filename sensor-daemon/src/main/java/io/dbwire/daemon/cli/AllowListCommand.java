package io.dbwire.daemon.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbwire.core.detect.policy.StatementAllowList;
import io.dbwire.daemon.config.PolicyLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * {@code dbwire allowlist export}: the statement allow-list that {@code run} keeps in its detection state, as the
 * YAML file the policy's {@code allowlist.file} and {@code replay --allowlist} import.
 */
@CommandLine.Command(
        name = "allowlist",
        mixinStandardHelpOptions = true,
        description = "The statement allow-list of the DAM policy (docs/alerts.md, \"Statement allow-list\").",
        subcommands = AllowListCommand.Export.class)
final class AllowListCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (export)");
    }

    @CommandLine.Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Writes the allow-list from run's detection state (state.directory/detection-state.json)",
                "as YAML. Import it with the policy's allowlist.file or replay --allowlist."})
    static final class Export implements Callable<Integer> {
        @CommandLine.Mixin
        ConfigOption config = new ConfigOption();

        @CommandLine.Option(names = "--state", paramLabel = "DIR",
                description = "State directory (default: state.directory of the config).")
        Path state;

        @CommandLine.Option(names = "--out", paramLabel = "FILE|-", defaultValue = "-",
                description = "Where the YAML goes (default: - = stdout).")
        String out;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Path dir = state != null ? state : Path.of(config.load().state().directory());
            Path file = dir.resolve("detection-state.json");
            JsonNode tree;
            try {
                tree = new ObjectMapper().readTree(file.toFile()).path("detectors").path(StatementAllowList.NAME);
            } catch (IOException e) {
                throw new UsageException(file + ": cannot read (" + e.getMessage() + ")");
            }
            if (tree.isMissingNode()) {
                throw new UsageException(file + ": holds no allow-list (is allowlist.mode set in the policy?)");
            }
            try {
                String yaml = new PolicyLoader().allowListYaml(new ObjectMapper().treeToValue(tree, Object.class));
                if ("-".equals(out)) {
                    spec.commandLine().getOut().print(yaml);
                    spec.commandLine().getOut().flush();
                } else {
                    Files.writeString(Path.of(out), yaml);
                }
            } catch (IOException e) {
                throw new UsageException("--out " + out + ": cannot write (" + e.getMessage() + ")");
            }
            return ExitCodes.OK;
        }
    }
}
