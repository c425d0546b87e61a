/** The shared service token that the data-plane services demand of their callers ({@code SERVICE_TOKEN}). */
@NullMarked
package dev.eventpipe.model.auth;

import org.jspecify.annotations.NullMarked;
