/** The audit log of every change: who, what, when. */
@NullMarked
package dev.eventpipe.configbackend.audit;

import org.jspecify.annotations.NullMarked;
