package dev.eventpipe.jobsdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * jobsdb is the only code that knows the queue tables (issue 13, review code-structure §2): no other module's main
 * code names a queue's jobs or status table, the kept failed events or jobsdb's own tables in code (comments may
 * mention them). Reads go through {@link JobsDb} and {@link JobReads}. A scan of the sources next to this module.
 */
class QueueTableBoundaryTest {
    private static final List<Pattern> TABLES = List.of(
            Pattern.compile("\\b(gw|rt|batch_rt|arc)_(jobs|job_status)(_\\d+)?\\b"),
            // a table name built from a queue prefix, as in "FROM %1$s_jobs"
            Pattern.compile("%(\\d\\$)?s_(jobs|job_status)\\b"),
            Pattern.compile("\\brt_failed_event(s|_statuses)\\b"),
            Pattern.compile("\\bjobsdb_[a-z_]+\\b"));

    @Test
    void noOtherModulesMainCodeNamesAQueueTable() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        assertThat(Files.readString(root.resolve("pom.xml"))).contains("<module>jobsdb</module>");
        List<String> found = new ArrayList<>();
        int files = 0;
        try (Stream<Path> modules = Files.list(root)) {
            for (Path module : modules.filter(m -> !m.getFileName().toString().equals("jobsdb"))
                    .map(m -> m.resolve("src/main"))
                    .filter(Files::isDirectory)
                    .toList()) {
                try (Stream<Path> sources = Files.walk(module)) {
                    for (Path source :
                            sources.filter(QueueTableBoundaryTest::isSource).toList()) {
                        files++;
                        List<String> lines = Files.readAllLines(source);
                        for (int i = 0; i < lines.size(); i++) {
                            String line = lines.get(i).strip();
                            if (isComment(line)) continue;
                            for (Pattern table : TABLES)
                                if (table.matcher(line).find())
                                    found.add(root.relativize(source) + ":" + (i + 1) + ": " + line);
                        }
                    }
                }
            }
        }
        assertThat(files).as("sources scanned").isGreaterThan(100);
        assertThat(found).as("queue tables named outside jobsdb").isEmpty();
    }

    private static boolean isSource(Path p) {
        String name = p.getFileName().toString();
        return Files.isRegularFile(p)
                && (name.endsWith(".java") || name.endsWith(".sql") || name.endsWith(".yaml") || name.endsWith(".yml"));
    }

    private static boolean isComment(String line) {
        return line.startsWith("*") || line.startsWith("//") || line.startsWith("/*") || line.startsWith("--");
    }
}
