package dev.eventpipe.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Files of the repository, found from the module (Maven sets eventpipe.root; an IDE runs from deploy/). */
final class Repo {
    static final Path ROOT =
            Path.of(System.getProperty("eventpipe.root", "..")).toAbsolutePath().normalize();
    static final Path CHART = ROOT.resolve("deploy/helm/eventpipe");

    private Repo() {}

    static String read(String path) {
        try {
            return Files.readString(ROOT.resolve(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** deploy/services: the Maven module of every service, in file order. */
    static List<String> services() {
        return read("deploy/services")
                .lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .map(l -> l.split("\\s+")[0])
                .toList();
    }

    /** The project version: the root pom's own version (the first one after its artifactId). */
    static String projectVersion() {
        String pom = read("pom.xml");
        int artifact = pom.indexOf("<artifactId>eventpipe</artifactId>");
        int start = pom.indexOf("<version>", artifact) + "<version>".length();
        return pom.substring(start, pom.indexOf("</version>", start));
    }
}
