package dev.eventpipe.processor;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * An integration test on a {@link TestBed} of its own per test method: opened before each test (with {@link #rows}
 * on it) and closed after it, with the processors the test started. The bed is {@link TestBed#loop()} unless the
 * test overrides {@link #openBed()}. A subclass's own {@code @BeforeEach} runs after the bed is open.
 */
public abstract class TestBedCase {
    protected TestBed bed;
    protected QueueRows rows;

    /** The bed each test gets: {@link TestBed#loop()}; a test of one repository returns {@link TestBed#schema()}. */
    protected TestBed openBed() {
        return TestBed.loop();
    }

    @BeforeEach
    protected final void openTestBed() {
        bed = openBed();
        rows = bed.rows();
    }

    @AfterEach
    protected final void closeTestBed() {
        bed.close();
    }
}
