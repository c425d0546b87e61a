package dev.eventpipe.transformer.user;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * In a version's own process only: once it serves, it writes its port where the parent waits for it, and from then
 * on it exits as soon as its stdin, a pipe from the parent, closes: the parent stopped, crashed or was killed (the
 * kernel closes the pipe in every case), so no child outlives its parent.
 */
@Component
@ConditionalOnProperty("transformer.isolation.version")
class ParentWatch implements ApplicationListener<ApplicationReadyEvent> {
    private static final Logger log = LoggerFactory.getLogger(ParentWatch.class);

    private final IsolationProperties settings;
    private final Environment environment;

    ParentWatch(IsolationProperties settings, Environment environment) {
        this.settings = settings;
        this.environment = environment;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        Thread.ofPlatform().name("parent-watch").daemon().start(ParentWatch::exitWhenStdinCloses);
        writePort(environment.getRequiredProperty("local.server.port"));
    }

    private void writePort(String port) {
        try {
            Path file = Path.of(settings.portFile());
            Path partial = file.resolveSibling(file.getFileName() + ".partial");
            Files.writeString(partial, port);
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE); // the parent never reads half a number
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        log.atInfo()
                .addKeyValue("versionId", settings.ownVersion())
                .addKeyValue("port", port)
                .log("transformer process of one transformation version ready");
    }

    private static void exitWhenStdinCloses() {
        try {
            while (System.in.read() != -1) {
                // the parent never writes; anything read is ignored
            }
        } catch (IOException closed) {
            // the same: the parent is gone
        }
        log.warn("the parent transformer is gone (stdin closed): exiting");
        System.exit(0);
    }
}
