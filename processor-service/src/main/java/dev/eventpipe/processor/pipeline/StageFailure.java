package dev.eventpipe.processor.pipeline;

import java.util.Optional;
import tools.jackson.core.exc.StreamConstraintsException;

/**
 * Tells a failure of a batch's stages that the batch's own data causes, and that would come back on every attempt
 * (review P3-5), from one to retry. Such a batch is put through the quarantine's bisection like a batch the
 * database refuses, so only the job that fails alone is aborted and nothing behind it waits for ever:
 *
 * <ul>
 *   <li>an {@link Error} that is not a {@link VirtualMachineError}, and a {@link StackOverflowError} (a deeply
 *       nested event in a stage that recurses): the JVM is fine, the event is what fails;
 *   <li>a JSON limit of the reader or writer ({@link StreamConstraintsException}, 500 levels of nesting by default):
 *       an event of 499 levels is read, but the transformer's answer wraps it two levels deeper, which the
 *       processor cannot read back, on every attempt.
 * </ul>
 *
 * Any other {@link VirtualMachineError} (out of memory, an internal error) is not the event's: it is thrown on and
 * ends the thread, which {@code /health} shows. Nor is a {@link LinkageError} (a class that cannot be loaded fails
 * every batch alike: splitting would abort every job), which is retried like an outage.
 */
public final class StageFailure {
    private StageFailure() {}

    /** Why the failure is the batch's data, when it is; else empty (retry, or throw on if fatal). */
    public static Optional<String> reason(Throwable error) {
        if (fatal(error) || error instanceof LinkageError) return Optional.empty();
        if (error instanceof Error) return Optional.of(describe("processing failed: ", error));
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause())
            if (t instanceof StreamConstraintsException limit)
                return Optional.of(describe("the event exceeds a JSON limit: ", limit));
        return Optional.empty();
    }

    /** True for the errors that must end the thread: a VM error that is not a stack overflow. */
    public static boolean fatal(Throwable error) {
        return error instanceof VirtualMachineError && !(error instanceof StackOverflowError);
    }

    /** {@code prefix}, the error's class and the first line of its message, at most 500 characters. */
    static String describe(String prefix, Throwable t) {
        String message = t.getMessage() == null ? "" : t.getMessage();
        int newline = message.indexOf('\n');
        if (newline >= 0) message = message.substring(0, newline);
        String text = prefix + t.getClass().getName() + (message.isEmpty() ? "" : ": " + message);
        return text.length() > 500 ? text.substring(0, 500) : text;
    }
}
