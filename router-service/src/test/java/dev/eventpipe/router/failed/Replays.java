package dev.eventpipe.router.failed;

import java.util.List;
import java.util.Map;
import org.springframework.context.ApplicationContext;

/** Calls a replica's {@link Replay} directly, for tests whose replicas serve no HTTP. */
public final class Replays {
    private Replays() {}

    public static Map<String, Object> replay(ApplicationContext context, List<Long> jobIds) {
        return context.getBean(Replay.class).replay(jobIds, null);
    }
}
