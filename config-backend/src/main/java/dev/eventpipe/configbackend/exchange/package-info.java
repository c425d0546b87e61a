/** Config as code: a workspace exported as JSON and imported idempotently. */
@NullMarked
package dev.eventpipe.configbackend.exchange;

import org.jspecify.annotations.NullMarked;
