/** The processor service: from gateway jobs to router jobs, in order, exactly once. */
@NullMarked
package dev.eventpipe.processor;

import org.jspecify.annotations.NullMarked;
